/** `make setup`: build the pinned k6 into the tool cache now, not in the middle of the first drill. */
import { ensureK6, k6Binary } from './k6.js';

ensureK6((line) => console.log(line));
console.log(`k6 ready: ${k6Binary}`);

/** `make setup`: build the backup tools now (tools.ts), not in the middle of make test. */
import { barmanVenv, ensureBarman, ensureGarage, ensureRclone, garageBinary, rcloneBinary } from './tools.js';

const log = (line: string) => console.log(line);
ensureBarman(log);
ensureRclone(log);
ensureGarage(log);
console.log(`backup tools ready: ${garageBinary}, ${rcloneBinary}, ${barmanVenv}`);

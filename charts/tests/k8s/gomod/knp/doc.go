// Package knp only pins the modules build.sh compiles.
package knp

// Package containerd only pins the modules build.sh compiles.
package containerd

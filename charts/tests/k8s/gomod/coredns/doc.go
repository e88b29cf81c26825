// Package coredns only pins the modules build.sh compiles.
package coredns

// Package k8s only pins the modules build.sh compiles.
package k8s

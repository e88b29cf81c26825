// Package kube_router only pins the modules build.sh compiles.
package kube_router

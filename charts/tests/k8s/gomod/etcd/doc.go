// Package etcd only pins the modules build.sh compiles.
package etcd

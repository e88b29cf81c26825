module dhakacart.local/k8sbuild/knp

go 1.23.0

require sigs.k8s.io/kube-network-policies v0.8.0

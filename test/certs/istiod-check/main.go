// Command istiod-check loads one cluster folder of generate-certs the way
// istiod loads a plugged-in CA from /etc/cacerts, with Go's crypto/x509 as
// istiod does: ca-cert.pem must verify against root-cert.pem with
// cert-chain.pem as intermediates, the key must parse and match, and the
// certificate must be a CA. It prints OK or the first failure and exits 1.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
)

func fail(format string, args ...any) {
	fmt.Printf(format+"\n", args...)
	os.Exit(1)
}

func main() {
	dir := os.Args[1]
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			fail("read %s: %v", name, err)
		}
		return data
	}
	certPEM := read("ca-cert.pem")
	keyPEM := read("ca-key.pem")
	chainPEM := read("cert-chain.pem")
	rootPEM := read("root-cert.pem")

	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		fail("root-cert.pem holds no certificate")
	}
	intermediates := x509.NewCertPool()
	if !intermediates.AppendCertsFromPEM(chainPEM) {
		fail("cert-chain.pem holds no certificate")
	}
	block, _ := pem.Decode(certPEM)
	if block == nil {
		fail("ca-cert.pem is not PEM")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		fail("parse ca-cert.pem: %v", err)
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: intermediates}
	if _, err := cert.Verify(opts); err != nil {
		fail("cannot verify the cert with the provided root chain and cert pool: %v", err)
	}
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		fail("the cert does not match the key: %v", err)
	}
	if !cert.IsCA {
		fail("certificate is not authorized to sign other certificates")
	}
	fmt.Println("OK")
}

package device

import (
	"strings"

	"golang.org/x/crypto/ssh"
)

// legacyAlgorithms returns key exchanges and ciphers for old FortiOS 5/6
// units: the modern defaults first (so a capable device still negotiates
// them), then the weak ones netmiko restricts FortiOS to. Only used when the
// device opts in, never globally.
func legacyAlgorithms() (kex, ciphers []string) {
	def := ssh.SupportedAlgorithms()
	kex = append(kex, def.KeyExchanges...)
	kex = append(kex,
		ssh.KeyExchangeDHGEXSHA256,
		ssh.InsecureKeyExchangeDH14SHA1,
		ssh.InsecureKeyExchangeDHGEXSHA1,
		ssh.InsecureKeyExchangeDH1SHA1,
	)
	ciphers = append(ciphers, def.Ciphers...)
	ciphers = append(ciphers, ssh.InsecureCipherAES128CBC, "aes192-cbc", "aes256-cbc", ssh.InsecureCipherTripleDESCBC)
	return dedupe(kex), supportedOnly(dedupe(ciphers))
}

// supportedOnly drops names this x/crypto build cannot negotiate, so that a
// newer or older library never makes the config invalid.
func supportedOnly(names []string) []string {
	ok := map[string]bool{}
	for _, a := range [][]string{ssh.SupportedAlgorithms().Ciphers, ssh.InsecureAlgorithms().Ciphers} {
		for _, n := range a {
			ok[n] = true
		}
	}
	var out []string
	for _, n := range names {
		if ok[n] {
			out = append(out, n)
		}
	}
	return out
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// isAlgoFailure recognises "no common algorithm" negotiation failures.
func isAlgoFailure(err error) bool {
	return err != nil && strings.Contains(err.Error(), "no common algorithm")
}

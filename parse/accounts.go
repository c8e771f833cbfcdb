package parse

import (
	"fmt"
	"strings"
)

// accountPaths maps an account kind to the config block that holds it.
var accountPaths = map[string]string{AccountUser: "user local", AccountAdmin: "system admin"}

// ParseAccounts reads `show user local` (kind "user") or `show system
// admin` (kind "admin"); kind "" reads both. On truncated output it returns
// the accounts read so far and an error.
func ParseAccounts(out string, kind string) ([]Account, error) {
	kinds := []string{AccountUser, AccountAdmin}
	if kind != "" {
		if _, ok := accountPaths[kind]; !ok {
			return nil, fmt.Errorf("accounts: unknown kind %q (want %q or %q)", kind, AccountUser, AccountAdmin)
		}
		kinds = []string{kind}
	}
	blocks, err := ParseConfig(out)
	var accts []Account
	seen := false
	for _, k := range kinds {
		for _, b := range findBlocks(blocks, accountPaths[k]) {
			seen = true
			for _, e := range b.Entries {
				accts = append(accts, accountFromEntry(e, k))
			}
		}
	}
	if !seen {
		if err != nil {
			return nil, fmt.Errorf("accounts: %w", err)
		}
		return nil, fmt.Errorf("accounts: no config %s block: %w", accountPaths[kinds[0]], ErrTruncated)
	}
	if err != nil {
		return accts, fmt.Errorf("accounts: %w", err)
	}
	return accts, nil
}

// accountFromEntry maps one `edit "name"` of user local / system admin.
func accountFromEntry(e *Entry, kind string) Account {
	a := Account{Name: e.Name, Kind: kind}
	a.TwoFactor, _ = e.Get("two-factor")
	a.FortiToken, _ = e.Get("fortitoken")
	a.EmailTo, _ = e.Get("email-to")
	a.SMSPhone, _ = e.Get("sms-phone")
	a.Status, _ = e.Get("status")
	return a
}

// ParseGrepContext reads `show full-configuration | grep -f FTK`: token
// objects from every `config user fortitoken` block and the accounts that
// reference a token from `config user local` / `config system admin`, at
// any depth (multi-VDOM wrappers included). Empty output means no token.
// The exact `-f` rendering is unverified, so a missing final `end` is
// tolerated; output holding text but no config block is an error.
func ParseGrepContext(out string) (GrepContext, error) {
	var gc GrepContext
	blocks, _ := ParseConfig(out)
	if len(blocks) == 0 {
		for _, l := range outputLines(out) {
			if t := strings.TrimSpace(l); t != "" && t != "--" && !isPrompt(t) && !strings.Contains(t, "grep") {
				return gc, fmt.Errorf("grep -f FTK: text but no config block: %w", ErrTruncated)
			}
		}
		return gc, nil
	}
	for _, b := range findBlocks(blocks, "user fortitoken") {
		for _, e := range b.Entries {
			gc.Tokens = append(gc.Tokens, tokenFromEntry(e))
		}
	}
	for _, k := range []string{AccountUser, AccountAdmin} {
		for _, b := range findBlocks(blocks, accountPaths[k]) {
			for _, e := range b.Entries {
				if a := accountFromEntry(e, k); a.FortiToken != "" {
					gc.Accounts = append(gc.Accounts, a)
				}
			}
		}
	}
	return gc, nil
}

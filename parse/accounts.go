package parse

import (
	"fmt"
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

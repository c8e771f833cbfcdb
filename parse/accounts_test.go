package parse

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseAccounts(t *testing.T) {
	users := []Account{
		{Name: "guest", Kind: AccountUser},
		{Name: "jdoe", Kind: AccountUser, TwoFactor: "fortitoken", FortiToken: "FTKMOB4B94972FBA", EmailTo: "jdoe@example.com", SMSPhone: "+14085551234"},
		{Name: "asmith", Kind: AccountUser, TwoFactor: "email", EmailTo: "asmith@example.com", Status: "disable"},
		{Name: "hw.user@corp", Kind: AccountUser, TwoFactor: "fortitoken", FortiToken: "FTK200A1B2C3D4E5"},
	}
	admins := []Account{
		{Name: "admin", Kind: AccountAdmin, TwoFactor: "fortitoken", FortiToken: "FTK200A1B2C3D4E6", EmailTo: "noc@example.com"},
		{Name: "readonly", Kind: AccountAdmin},
	}
	cases := []struct {
		file, kind, cmd string
		want            []Account
	}{
		{"userlocal.txt", AccountUser, "show user local", users},
		{"sysadmin.txt", AccountAdmin, "show system admin", admins},
		{"sysadmin.txt", "", "show system admin", admins},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, c.cmd) {
			t.Run(c.file+"/"+c.kind+"/"+v.name, func(t *testing.T) {
				got, err := ParseAccounts(v.text, c.kind)
				if err != nil {
					t.Fatalf("err: %v", err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("got  %#v\nwant %#v", got, c.want)
				}
			})
		}
	}
}

func TestParseAccountsErrors(t *testing.T) {
	if _, err := ParseAccounts(readSample(t, "userlocal.txt"), AccountAdmin); !errors.Is(err, ErrTruncated) || !contains(err.Error(), "system admin") {
		t.Errorf("wrong block: %v", err)
	}
	if _, err := ParseAccounts("", "robot"); err == nil || errors.Is(err, ErrTruncated) {
		t.Errorf("bad kind: %v", err)
	}
	full := readSample(t, "userlocal.txt")
	got, err := ParseAccounts(full[:len(full)/2], AccountUser)
	if !errors.Is(err, ErrTruncated) || len(got) == 0 {
		t.Errorf("truncated: %d %v", len(got), err)
	}
}

func TestParseGrepContext(t *testing.T) {
	cases := []struct {
		file   string
		tokens []string
		seeds  []bool
		accts  []Account
	}{
		{"grepf.txt", []string{"FTK200A1B2C3D4E5", "FTKMOB4B94972FBA"}, []bool{true, false}, []Account{
			{Name: "jdoe", Kind: AccountUser, TwoFactor: "fortitoken", FortiToken: "FTKMOB4B94972FBA", EmailTo: "jdoe@example.com"},
			{Name: "hw.user@corp", Kind: AccountUser, TwoFactor: "fortitoken", FortiToken: "FTK200A1B2C3D4E5"},
			{Name: "admin", Kind: AccountAdmin, TwoFactor: "fortitoken", FortiToken: "FTK200A1B2C3D4E5", EmailTo: "noc@example.com"},
		}},
		{"grepf_multivdom.txt", []string{"FTK200A1B2C3D4E6", "FTK200A1B2C3D4E7"}, []bool{true, false}, []Account{
			{Name: "vpnuser1", Kind: AccountUser, TwoFactor: "fortitoken", FortiToken: "FTK200A1B2C3D4E7", EmailTo: "vpn1@example.com"},
			{Name: "admin", Kind: AccountAdmin, TwoFactor: "fortitoken", FortiToken: "FTK200A1B2C3D4E6"},
		}},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, "show full-configuration | grep -f FTK") {
			t.Run(c.file+"/"+v.name, func(t *testing.T) {
				gc, err := ParseGrepContext(v.text)
				if err != nil {
					t.Fatalf("err: %v", err)
				}
				if len(gc.Tokens) != len(c.tokens) {
					t.Fatalf("tokens = %+v", gc.Tokens)
				}
				for i, tk := range gc.Tokens {
					if tk.Serial != c.tokens[i] || tk.HasSeed != c.seeds[i] {
						t.Errorf("token %d = %+v", i, tk)
					}
				}
				if !reflect.DeepEqual(gc.Accounts, c.accts) {
					t.Errorf("accounts = %#v", gc.Accounts)
				}
			})
		}
	}
}

func TestParseGrepContextEdges(t *testing.T) {
	if gc, err := ParseGrepContext(""); err != nil || len(gc.Tokens)+len(gc.Accounts) != 0 {
		t.Errorf("empty: %+v %v", gc, err)
	}
	if gc, err := ParseGrepContext("show full-configuration | grep -f FTK\r\r\n\r\nFGT # "); err != nil || len(gc.Tokens) != 0 {
		t.Errorf("echo only: %+v %v", gc, err)
	}
	if _, err := ParseGrepContext("something odd\n"); !errors.Is(err, ErrTruncated) {
		t.Errorf("garbage: %v", err)
	}
	// grep -f output cut before its final end still yields what was read.
	full := readSample(t, "grepf.txt")
	gc, err := ParseGrepContext(full[:len(full)-4])
	if err != nil || len(gc.Tokens) != 2 || len(gc.Accounts) != 3 {
		t.Errorf("no final end: %+v %v", gc, err)
	}
}

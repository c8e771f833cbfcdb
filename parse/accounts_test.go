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

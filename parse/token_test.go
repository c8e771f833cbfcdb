package parse

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseTokenInfo(t *testing.T) {
	already := StatusAlreadyActivated
	cases := []struct {
		file          string
		rows          []TokenRow
		total, global int
		server        string
	}{
		{"ftkinfo_guide.txt", []TokenRow{{"FTK200XXXXXXXXXX", 0, "new"}, {"FTKMOBXXXXXXXXXX", 0, "new"}}, 0, 0, ServerReachable},
		{"ftkinfo_fpx.txt", []TokenRow{{"FTK2000BHV1KRZCC", 0, already}, {"FTK2001C5YCRRVEE", 0, already},
			{"FTKMOB4B94972FBA", 0, StatusProvisioned}, {"FTKMOB4BA4BE9B84", 0, StatusNew}}, 0, 0, ServerReachable},
		{"ftkinfo_kb232153.txt", []TokenRow{{"FTK200BAA0000000", 0, already}, {"FTK200BAA0000001", 0, already}}, 21, 21, ServerReachable},
		{"ftkinfo_empty.txt", nil, 0, 0, ServerUnknown},
		{"ftkinfo_mixed.txt", []TokenRow{
			{"FTK200A1B2C3D4E5", 0, StatusActive}, {"FTK200A1B2C3D4E6", -3, StatusActive},
			{"FTK211000000000A", 12, StatusNotInFortiGuard}, {"FTKMOB0A1B2C3D4E", 0, StatusProvisioning},
			{"FTKMOB0A1B2C3D4F", 0, StatusProvisionTimeout}, {"FTKMOB0A1B2C3D50", 0, StatusLocked},
			{"FTK220ZZZZ000001", 0, already}}, 2, 3, ServerUnreachable},
		{"ftkinfo_grepv.txt", []TokenRow{
			{"FTK211000000000A", 12, StatusNotInFortiGuard}, {"FTKMOB0A1B2C3D4E", 0, StatusProvisioning},
			{"FTKMOB0A1B2C3D4F", 0, StatusProvisionTimeout}, {"FTKMOB0A1B2C3D50", 0, StatusLocked},
			{"FTK220ZZZZ000001", 0, already}}, 2, 3, ServerUnreachable},
		{"ftkinfo_grep_partial.txt", []TokenRow{{"FTK200A1B2C3D4E7", 0, StatusNew}}, 0, 0, ServerReachable},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, "diagnose fortitoken info") {
			t.Run(c.file+"/"+v.name, func(t *testing.T) {
				ti, err := ParseTokenInfo(v.text)
				if err != nil {
					t.Fatalf("err: %v", err)
				}
				if !reflect.DeepEqual(ti.Tokens, c.rows) {
					t.Errorf("rows = %#v", ti.Tokens)
				}
				if ti.TotalActivated != c.total || ti.TotalGlobalActivated != c.global || ti.ServerStatus != c.server {
					t.Errorf("footer = %d %d %q", ti.TotalActivated, ti.TotalGlobalActivated, ti.ServerStatus)
				}
			})
		}
	}
}

func TestParseTokenInfoFooterless(t *testing.T) {
	ti, err := ParseTokenInfo("FORTITOKEN DRIFT STATUS\nFTK200A1B2C3D4E7 0 new\n")
	if err != nil || len(ti.Tokens) != 1 || ti.ServerStatus != "" {
		t.Errorf("got %+v %v", ti, err)
	}
}

func TestParseTokenInfoTruncated(t *testing.T) {
	cases := map[string]string{
		"no header":       "FTK200A1B2C3D4E7 0 new\nTotal activated token: 0\n",
		"empty":           "",
		"cut in row":      "FORTITOKEN DRIFT STATUS\nFTK200A1B2C3D4E7 0 new\nFTK200A1B2C3",
		"cut after drift": "FORTITOKEN DRIFT STATUS\nFTK200A1B2C3D4E7 0",
		"cli error":       "command parse error before 'fortitokn'\nCommand fail. Return code -61\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseTokenInfo(in)
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("err = %v, want ErrTruncated", err)
			}
		})
	}
	_, err := ParseTokenInfo("FTK200A1B2C3D4E7 0 new")
	if !contains(err.Error(), "FORTITOKEN DRIFT STATUS") {
		t.Errorf("error should name the header: %v", err)
	}
}

func TestParseTokenConfig(t *testing.T) {
	cases := []struct {
		file string
		want []TokenConfig
	}{
		{"ftkcfg_mobile.txt", []TokenConfig{{Serial: "FTKMOB0A1B2C3D4E", Status: "active", License: "FTMTRIAL0A0B0C0D",
			ActivationCode: "EEIOABCDEFGH2JKL", ActivationExpire: 1665947817,
			RegID: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", OSVer: "5.4.2_IOS"}}},
		{"ftkcfg_trial.txt", []TokenConfig{
			{Serial: "FTKMOB1111AAAA01", Status: "active", License: "FTMTRIAL1111AAAA"},
			{Serial: "FTKMOB1111AAAA02", Status: "active", License: "FTMTRIAL1111AAAA"}}},
		{"ftkcfg_seed.txt", []TokenConfig{
			{Serial: "FTK200A1B2C3D4E5", Status: "active", HasSeed: true},
			{Serial: "FTK200A1B2C3D4E6", Status: "lock", Comments: `spare token, "desk 4" drawer`},
			{Serial: "FTK200A1B2C3D4E7", Status: "active"}}},
		{"ftkcfg_full.txt", []TokenConfig{
			{Serial: "FTK200A1B2C3D4E5", Status: "active", HasSeed: true},
			{Serial: "FTKMOB0A1B2C3D4E", Status: "active", License: "EFTM0123456789AB", ActivationCode: "XK3MPQ7RT2VW9YZA", ActivationExpire: 1700000000}}},
		{"ftkcfg_get.txt", []TokenConfig{{Serial: "FTKMOB99C7D0000F", Status: "active", ActivationCode: "EEIOXYZW3MNOPQRS",
			Extra: map[string]string{"activation-expire": "Mon Jul 15 20:10:19 2024"}}}},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, "show user fortitoken") {
			t.Run(c.file+"/"+v.name, func(t *testing.T) {
				got, err := ParseTokenConfig(v.text)
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

func TestTokenConfigKindAndExtra(t *testing.T) {
	got, err := ParseTokenConfig("config user fortitoken\n edit FTKMOB0A1B2C3D4E\n set future-field x y\n set secret-thing ENC abc==\n unset license\n next\nend\n")
	if err != nil || len(got) != 1 {
		t.Fatalf("%v %v", got, err)
	}
	tc := got[0]
	if tc.Kind() != TokenKindMobile || TokenKind("FTK200A1B2C3D4E5") != TokenKindHardware {
		t.Errorf("kind = %q", tc.Kind())
	}
	if tc.Extra["future-field"] != "x y" || tc.Extra["secret-thing"] != "ENC" {
		t.Errorf("extra = %v", tc.Extra)
	}
}

func TestParseTokenConfigTruncated(t *testing.T) {
	full := readSample(t, "ftkcfg_trial.txt")
	got, err := ParseTokenConfig(full[:len(full)-12]) // drop "    next\nend"
	if !errors.Is(err, ErrTruncated) || !contains(err.Error(), "end") {
		t.Fatalf("err = %v", err)
	}
	if len(got) != 2 {
		t.Errorf("partial tokens = %d, want 2", len(got))
	}
	if _, err := ParseTokenConfig("Unknown action 0\n"); !errors.Is(err, ErrTruncated) {
		t.Errorf("no block: %v", err)
	}
	if got, err := ParseTokenConfig("config user fortitoken\nend\n"); err != nil || len(got) != 0 {
		t.Errorf("empty block: %v %v", got, err)
	}
}

package parse

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseEmailServer(t *testing.T) {
	cases := []struct {
		file string
		want EmailServer
	}{
		{"email_show_default.txt", EmailServer{Server: "notification.fortinet.net", Port: 465, Security: "smtps"}},
		{"email_show_custom.txt", EmailServer{Type: "custom", Server: "smtp.example.com", Port: 587, Security: "starttls",
			Authenticate: true, Username: "relay", ReplyTo: "fw@example.com", SourceIP: "192.0.2.1",
			InterfaceSelectMethod: "specify", Interface: "wan1"}},
		{"email_unset.txt", EmailServer{}},
		{"email_get.txt", EmailServer{Type: "custom", Server: "fortinet-notifications.com", Port: 465, Security: "smtps",
			SourceIP: "0.0.0.0", InterfaceSelectMethod: "auto"}},
	}
	for _, c := range cases {
		for _, v := range variants(t, c.file, "show system email-server") {
			t.Run(c.file+"/"+v.name, func(t *testing.T) {
				got, err := ParseEmailServer(v.text)
				if err != nil {
					t.Fatalf("err: %v", err)
				}
				if got != c.want {
					t.Errorf("got  %+v\nwant %+v", got, c.want)
				}
				if got.Usable() != (c.want.Server != "") {
					t.Errorf("Usable = %v", got.Usable())
				}
			})
		}
	}
}

func TestParseEmailServerErrors(t *testing.T) {
	if _, err := ParseEmailServer("config system email-server\n    set server \"x\"\n"); !errors.Is(err, ErrTruncated) {
		t.Errorf("missing end: %v", err)
	}
	if _, err := ParseEmailServer("Command fail. Return code -37\n"); !errors.Is(err, ErrTruncated) {
		t.Errorf("no block: %v", err)
	}
	got, err := ParseEmailServer("config system email-server\n set server \"a\"\n unset server\nend\n")
	if err != nil || got.Server != "" {
		t.Errorf("unset: %+v %v", got, err)
	}
}

func TestParseDebugInfo(t *testing.T) {
	for _, v := range variants(t, "debuginfo.txt", "diagnose debug info") {
		t.Run(v.name, func(t *testing.T) {
			di, err := ParseDebugInfo(v.text)
			if err != nil {
				t.Fatalf("err: %v", err)
			}
			if !di.OutputEnabled || !di.ConsoleTimestamp || !di.Active() {
				t.Errorf("flags: %+v", di)
			}
			want := map[string]int{"forticldd": 255, "alertmail": -1}
			if !reflect.DeepEqual(di.Levels, want) {
				t.Errorf("levels = %v", di.Levels)
			}
			if di.Fields["console no user log message"] != "disable" {
				t.Errorf("fields = %v", di.Fields)
			}
		})
	}
	for _, v := range variants(t, "debuginfo_clean.txt", "diagnose debug info") {
		t.Run("clean/"+v.name, func(t *testing.T) {
			di, err := ParseDebugInfo(v.text)
			if err != nil || di.Active() || di.OutputEnabled || len(di.Levels) != 0 {
				t.Errorf("got %+v %v", di, err)
			}
		})
	}
	di, err := ParseDebugInfo("debug output: disable\nfortitoken debug level: 0x10\n")
	if err != nil || di.Levels["fortitoken"] != 16 || !di.Active() {
		t.Errorf("hex level: %+v %v", di, err)
	}
	if _, err := ParseDebugInfo("console timestamp: enable\n"); !errors.Is(err, ErrTruncated) {
		t.Errorf("no debug output line: %v", err)
	}
}

func TestParseKV(t *testing.T) {
	want := []KV{
		{"FortiCloud status", ""},
		{"Account", "admin@example.com"},
		{"Region", "global"},
		{"Logging", "enabled"},
		{"Management tunnel", "down"},
		{"FortiGuard server", "173.243.138.198:443"},
		{"FDS status", "reachable"},
		{"Last update", "2022-10-13 22:50:00"},
	}
	for _, v := range variants(t, "forticldd7.txt", "diagnose test application forticldd 7") {
		t.Run(v.name, func(t *testing.T) {
			if got := ParseKV(v.text); !reflect.DeepEqual(got, want) {
				t.Errorf("got %#v", got)
			}
		})
	}
	if got := ParseKV("no separator here\n: empty key\n"); len(got) != 0 {
		t.Errorf("junk: %v", got)
	}
}

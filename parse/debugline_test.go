package parse

import (
	"strings"
	"testing"
	"time"
)

func TestParseDebugLine(t *testing.T) {
	ts := func(s string) time.Time {
		x, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	lines := strings.Split(strings.TrimRight(readSample(t, "debuglines.txt"), "\n"), "\n")
	want := []DebugLine{
		{Time: ts("2022-10-13 22:59:21"), Source: SourceFortitoken, Func: "ftm_cfg_poll_token_states", Message: "Poll token status!"},
		{Source: SourceOther, Message: "POST /SoftToken/Provisioning.asmx/Process HTTP/1.1"},
		{Time: ts("2022-10-13 22:59:22"), Source: SourceFortitoken, Func: "ftm_fc_comm_recv_response", Message: "receive packet success."},
		{Time: ts("2023-12-06 17:46:19"), Source: SourceOther, Func: "api_return_http_result", Message: "API error 403 raised", IsError: true},
		{Time: ts("2024-01-02 03:04:05"), Source: SourceForticldd, Func: "fds_https_start_server", Message: "connect to 173.243.138.198:443 failed", IsError: true},
		{Time: ts("2024-01-02 03:04:06"), Source: SourceAlertmail, Func: "alertmail_send", Message: "Activation code: XK3MPQ7RT2VW9YZA sent to jdoe@example.com"},
		{Time: ts("2024-01-02 03:04:07"), Source: SourceFortitoken, Func: "fortitoken_activate", Message: "activation error (token not exist in FortiGuard)", IsError: true},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		for _, in := range []string{l, l + "\r", l + "\r\n"} {
			got := ParseDebugLine(in)
			w := want[i]
			w.Raw = l
			if got != w {
				t.Errorf("line %d:\n got  %+v\n want %+v", i, got, w)
			}
		}
	}
}

func TestDebugLineSources(t *testing.T) {
	cases := map[string]Source{
		"2024-01-02 03:04:05 ftm_poll[1]:x":           SourceFortitoken,
		"2024-01-02 03:04:05 FTK_activate[1]:x":       SourceFortitoken,
		"fortitoken: token FTK200 added":              SourceFortitoken,
		"2024-01-02 03:04:05 forticldd_main[9]:start": SourceForticldd,
		"[forticldd] connecting":                      SourceForticldd,
		"cld_conn_open[3]:ok":                         SourceForticldd,
		"fgd_update[3]:ok":                            SourceForticldd,
		"smtp_send[4]:250 OK":                         SourceAlertmail,
		"mail_queue_run[4]:queued":                    SourceAlertmail,
		"[alertmail 12 - 1 info] x":                   SourceAlertmail,
		"2024-01-02 03:04:05 httpsd_x[1]:y":           SourceOther,
		"":                                            SourceOther,
		"2024-01-02 03:04:05":                         SourceOther,
	}
	for in, want := range cases {
		if got := ParseDebugLine(in).Source; got != want {
			t.Errorf("%q: source %q, want %q", in, got, want)
		}
	}
}

func TestDebugLineEdges(t *testing.T) {
	d := ParseDebugLine("2024-13-02 03:04:05 not a date")
	if !d.Time.IsZero() || d.Message != "2024-13-02 03:04:05 not a date" {
		t.Errorf("bad month accepted: %+v", d)
	}
	d = ParseDebugLine("2024-01-02 03:04:05x")
	if !d.Time.IsZero() {
		t.Errorf("glued timestamp accepted: %+v", d)
	}
	d = ParseDebugLine("2024-01-02 03:04:05 func[12]no colon")
	if d.Func != "" {
		t.Errorf("func without colon: %+v", d)
	}
	d = ParseDebugLine("a\rb")
	if d.Raw != "ab" {
		t.Errorf("raw = %q", d.Raw)
	}
	for _, msg := range []string{"Connection TIMED OUT", "request Timeout", "Permission denied", "unable to send", "can't connect"} {
		if !ParseDebugLine(msg).IsError {
			t.Errorf("%q not an error", msg)
		}
	}
	if ParseDebugLine(strings.Repeat("x", 400)+" failed").IsError != true {
		t.Error("long line error word missed")
	}
	if ParseDebugLine("Poll token status!").IsError {
		t.Error("plain line flagged as error")
	}
}

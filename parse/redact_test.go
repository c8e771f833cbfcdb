package parse

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	R := Redacted
	cases := []struct{ in, want string }{
		{`        set activation-code "EEIOABCDEFGH2JKL"`, `        set activation-code "` + R + `"`},
		{`set activation-code EEIOABCDEFGH2JKL <---`, `set activation-code ` + R + ` <---`},
		{`set activation-code ''`, `set activation-code ''`},
		{"activation-code     : EEIOXYZW3MNOPQRS", "activation-code     : " + R},
		{"activation-code :", "activation-code :"},
		{`{"d":{"activation_code":"XK3MPQ7RT2VW9YZA","x":1}}`, `{"d":{"activation_code":"` + R + `","x":1}}`},
		{`{'activation_code': 'XK3M', 'y': 2}`, `{'activation_code': '` + R + `', 'y': 2}`},
		{"alertmail_send[77]:Activation code: XK3MPQ7RT2VW9YZA sent", "alertmail_send[77]:Activation code: " + R + " sent"},
		{"activationCode=ABC123&x=1", "activationCode=" + R + "&x=1"},
		{"Your activation code is: ABCD2345", "Your activation code is: " + R},
		{"Failed. Forticare: FTM token Activation Code is invalid", "Failed. Forticare: FTM token Activation Code is invalid"},
		{"{'error_code': 40, 'error_message': 'FTM token Activation Code is invalid'}", "{'error_code': 40, 'error_message': 'FTM token Activation Code is invalid'}"},
		{"        set seed ENC q8Fz0YyJ8nQm3yZl7kX6mP1Qv9H+/w==", "        set seed ENC " + R},
		{"set passwd ENC SH2abc", "set passwd ENC " + R},
		{"set password ENC", "set password " + R},
		{`set passwd "hunter 2"`, `set passwd "` + R + `"`},
		{`set passwd hunter2`, `set passwd ` + R},
		{`set psksecret "a\"b"`, `set psksecret "` + R + `"`},
		{"password : ENC abc==", "password : " + R},
		{`{"seed":"abcd","password":""}`, `{"seed":"` + R + `","password":""}`},
		{"set comments \"passed the seed test\"", "set comments \"passed the seed test\""},
		{"2022-10-13 22:59:21 ftm_cfg_poll_token_states[405]:Poll token status!", "2022-10-13 22:59:21 ftm_cfg_poll_token_states[405]:Poll token status!"},
		{"set status lock", "set status lock"},
		{"ENCODING is fine", "ENCODING is fine"},
		{"", ""},
	}
	for _, c := range cases {
		got := Redact(c.in)
		if got != c.want {
			t.Errorf("Redact(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
		if again := Redact(got); again != got {
			t.Errorf("not idempotent: %q -> %q", got, again)
		}
	}
}

func TestRedactSamples(t *testing.T) {
	secrets := []string{"EEIOABCDEFGH2JKL", "XK3MPQ7RT2VW9YZA", "EEIOXYZW3MNOPQRS", "q8Fz0YyJ8nQm3yZl7kX6", "7GpW0c4Y",
		"q1w2e3r4t5y6", "zzzzyyyyxxxx", "aaaabbbbcccc", "SH2abcdef", "zqHV1YNRCBeg", "abcdEFGH1234"}
	for _, f := range []string{"ftkcfg_mobile.txt", "ftkcfg_full.txt", "ftkcfg_seed.txt", "ftkcfg_get.txt", "userlocal.txt",
		"sysadmin.txt", "grepf.txt", "grepf_multivdom.txt", "email_show_custom.txt", "debuglines.txt"} {
		in := readSample(t, f)
		out := Redact(in)
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: %q survived", f, s)
			}
		}
		if len(strings.Split(out, "\n")) != len(strings.Split(in, "\n")) {
			t.Errorf("%s: line count changed", f)
		}
		// everything but secrets survives: the serials and user names are still there
		for _, keep := range []string{"FTK200A1B2C3D4E5", "FTKMOB0A1B2C3D4E", "jdoe", "FTMTRIAL0A0B0C0D"} {
			if strings.Contains(in, keep) && !strings.Contains(out, keep) {
				t.Errorf("%s: %q lost", f, keep)
			}
		}
	}
	// parsing redacted text still works and no longer holds the code
	toks, err := ParseTokenConfig(Redact(readSample(t, "ftkcfg_mobile.txt")))
	if err != nil || toks[0].ActivationCode != Redacted || toks[0].License != "FTMTRIAL0A0B0C0D" {
		t.Errorf("%+v %v", toks, err)
	}
}

func TestContainsFold(t *testing.T) {
	cases := []struct {
		s, sub string
		want   bool
	}{
		{"ActivAtion", "activation", true}, {"xxPASS", "pass", true}, {"pas", "pass", false}, {"", "", true}, {"abc", "", true}, {"ab", "abc", false},
	}
	for _, c := range cases {
		if got := containsFold(c.s, c.sub); got != c.want {
			t.Errorf("containsFold(%q,%q) = %v", c.s, c.sub, got)
		}
	}
}

// containsFold reports whether s contains sub (lower-case ASCII) ignoring
// ASCII case.
func containsFold(s, sub string) bool { return indexFold(s, sub, 0) >= 0 }

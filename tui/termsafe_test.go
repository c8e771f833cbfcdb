package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ftktui/ftktui/parse"
)

// A debug line that reached the console with controls in it (from a stream
// that missed them) is shown and saved (ctrl+s) escaped, with no secret and
// no e-mail address.
func TestSavedCaptureIsTerminalSafe(t *testing.T) {
	lines := []parse.DebugLine{
		{Raw: "ftm_fc_command[634]:hello\a\x1b]0;pwned\a\u009b31m\x9b1m\u202eevil\u2069\r"},
		{Raw: `ftm_cfg_send_token_activation_code[345]:sent activation code: ZX9CV8BN7M6L5K4J to jane.doe@example.org`},
		{Raw: `{"tokens":[{"token":"FTKMOB5CA3C29179","qr_code":"iVBORw0KGgoAAAANSUhEUgAA"}]}`},
	}
	path := filepath.Join(t.TempDir(), "capture.log")
	if _, err := writeDebugLog(path, lines); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	saved := string(b)
	if !utf8.ValidString(saved) {
		t.Fatalf("saved capture is not valid UTF-8: %q", saved)
	}
	for _, r := range saved {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069) {
			t.Fatalf("saved capture carries %U: %q", r, saved)
		}
	}
	for _, secret := range []string{"ZX9CV8BN7M6L5K4J", "jane.doe@example.org", "iVBORw0KGgo"} {
		if strings.Contains(saved, secret) {
			t.Errorf("saved capture shows %q:\n%s", secret, saved)
		}
	}
	if !strings.Contains(saved, `\u202eevil`) || !strings.Contains(saved, parse.EmailRedacted) {
		t.Errorf("escapes or the e-mail placeholder missing:\n%s", saved)
	}
}

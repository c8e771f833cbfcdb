package hostile

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/tests/testkit"
	"golang.org/x/crypto/ssh"
)

// A build that refuses `get system email-server` still has its email server
// read, through `show full-configuration`; nothing is reported as unset
// because one form of the command was refused.
func TestEmailServerFallsBackToShow(t *testing.T) {
	var sent []string
	s := testkit.StartHostile(t, t.TempDir(), scripted(true, func(w ssh.Channel, cmd string) bool {
		sent = append(sent, cmd)
		var out string
		switch {
		case strings.HasPrefix(cmd, "get system email-server"):
			out = "command parse error before 'email-server'\r\nCommand fail. Return code -61\r\n"
		case strings.HasPrefix(cmd, "show full-configuration system email-server"):
			out = "config system email-server\r\n    set type custom\r\n    set server \"notification.fortinet.net\"\r\n    set port 465\r\n    set security smtps\r\nend\r\n"
		}
		_, err := w.Write([]byte(cmd + "\r\n" + out + "\r\n" + prompt))
		return err == nil
	}))
	ctx := context.Background()
	sess := openHostile(t, s, 2*time.Second)
	es, err := sess.EmailServer(ctx)
	if err != nil {
		t.Fatalf("EmailServer: %v (sent %q)", err, sent)
	}
	if es.Server != "notification.fortinet.net" || es.Port != 465 || es.Security != "smtps" {
		t.Errorf("email server = %+v", es)
	}
}

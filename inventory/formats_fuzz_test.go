package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadOtherFormats: whatever the bytes, the Ansible and CSV loaders
// (picked by content) return devices with a name and host, or an
// *InventoryError whose every problem names the file; they never panic.
func FuzzLoadOtherFormats(f *testing.F) {
	for _, name := range []string{"ansible_hosts.ini", "ansible_hosts.yml", "devices.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "inventory", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("[a:children]\nb\n[b:children]\na\n"))
	f.Add([]byte("fw[0:99999][0:99999] ansible_host=x\n"))
	f.Add([]byte("all:\n  children:\n    a:\n      children:\n        a:\n"))
	f.Add([]byte("name,host\n\"a,b\",\"c\"\"d\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<16 {
			return
		}
		path := filepath.Join(t.TempDir(), "inventory")
		if err := os.WriteFile(path, in, 0o600); err != nil {
			t.Fatal(err)
		}
		inv, err := Load(path, LoadOptions{})
		if err != nil {
			var ie *InventoryError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("error is not an *InventoryError with problems: %v", err)
			}
			for _, p := range ie.Problems {
				if !strings.HasPrefix(p.String(), path) {
					t.Fatalf("problem %q does not name the file", p.String())
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, d := range inv.Devices {
			if d.Name == "" || d.Host == "" || seen[d.Name] || d.Port < 1 || d.Port > 65535 {
				t.Fatalf("bad device %+v", d)
			}
			seen[d.Name] = true
		}
	})
}

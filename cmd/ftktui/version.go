package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/alecthomas/kong"
)

// Set by -ldflags "-X main.version=... -X main.commit=..." in release builds.
var (
	version = "dev"
	commit  = ""
)

// versionCmd is `ftktui version`.
type versionCmd struct{}

// Run prints version, commit and Go version.
func (versionCmd) Run() error {
	fmt.Println(versionString())
	return nil
}

// versionFlag is `ftktui --version`: the same line as `ftktui version`.
type versionFlag bool

// BeforeReset prints the version and exits before any command runs.
func (versionFlag) BeforeReset(app *kong.Kong) error {
	fmt.Fprintln(app.Stdout, versionString())
	app.Exit(0)
	return nil
}

func versionString() string {
	v, c := buildVersion(debug.ReadBuildInfo())
	return fmt.Sprintf("ftktui %s (commit %s, %s)", v, c, runtime.Version())
}

// buildVersion resolves version and commit: -ldflags first (release
// builds), then the VCS stamp Go writes into the binary, then the commit
// inside a module pseudo-version (go install …@commit).
func buildVersion(bi *debug.BuildInfo, ok bool) (v, c string) {
	v, c = version, commit
	if !ok || bi == nil {
		if c == "" {
			c = "unknown"
		}
		return v, c
	}
	if v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if c == "" {
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				c = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if c != "" && dirty {
			c += "-dirty"
		}
	}
	if c == "" {
		// v0.0.0-20261202142000-abcdef123456: the last part is the commit.
		if parts := strings.Split(strings.TrimSuffix(bi.Main.Version, "+incompatible"), "-"); len(parts) >= 3 && len(parts[len(parts)-1]) == 12 {
			c = parts[len(parts)-1]
		}
	}
	if c == "" {
		c = "unknown (built without VCS stamping; release builds pass -ldflags '-X main.commit=…')"
	}
	return v, c
}

package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
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
	c := commit
	if c == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					c = s.Value
				}
			}
		}
	}
	if c == "" {
		c = "unknown"
	}
	fmt.Printf("ftktui %s (commit %s, %s)\n", version, c, runtime.Version())
	return nil
}

// Command ftktui is a terminal console for fixing FortiToken activation across a FortiGate fleet.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "ftktui: not yet")
	os.Exit(2)
}

// Command peercmds prints the command script the parallel-ssh peer sends
// (scanbench.PeerScript), so bench/run.sh uses exactly the scan's commands.
package main

import (
	"fmt"

	"github.com/ftktui/ftktui/bench/scanbench"
)

func main() { fmt.Println(scanbench.PeerScript()) }

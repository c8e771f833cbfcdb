package main

import (
	"fmt"
	"os"
)

// completionCmd is `ftktui completion bash|zsh|fish`: a script to source.
type completionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"bash, zsh or fish."`
}

// Run prints the script for the shell.
func (c *completionCmd) Run() error {
	s, ok := completionScripts[c.Shell]
	if !ok {
		return usageErr("completion: unknown shell %q (bash, zsh or fish)", c.Shell)
	}
	_, err := fmt.Fprint(os.Stdout, s)
	return err
}

// The scripts hand the words to `ftktui __complete`, which knows the
// commands and flags (from the same kong model as --help), the device
// names and tags of the inventory named on the line, and the token serials
// of the last scan; "__files__" means: complete a path.
var completionScripts = map[string]string{
	"bash": `# ftktui bash completion: source <(ftktui completion bash)
_ftktui() {
  local cur=${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\n'
  local out
  out=$(ftktui __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [[ $out == __files__* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
}
complete -o default -F _ftktui ftktui
`,
	"zsh": `#compdef ftktui
# ftktui zsh completion: source <(ftktui completion zsh), or save as _ftktui in $fpath
_ftktui() {
  local out
  out=$(ftktui __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)
  if [[ $out == __files__* ]]; then
    _files
    return
  fi
  local -a cands
  cands=("${(@f)out}")
  compadd -- $cands
}
if (( $+functions[compdef] )); then
  compdef _ftktui ftktui
fi
`,
	"fish": `# ftktui fish completion: ftktui completion fish | source
function __ftktui_complete
  set -l args (commandline -opc)[2..-1] (commandline -ct)
  set -l out (ftktui __complete -- $args 2>/dev/null)
  if test "$out[1]" = "__files__"
    __fish_complete_path (commandline -ct)
    return
  end
  printf '%s\n' $out
end
complete -c ftktui -f -a '(__ftktui_complete)'
`,
}

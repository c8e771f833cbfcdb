package sim

import (
	"fmt"
	"testing"
)

// TestGrepCacheIsBoundedAndCorrect checks that cached patterns still match
// as compiled ones do (case folding included) and that a client inventing
// patterns cannot grow the cache past its bound.
func TestGrepCacheIsBoundedAndCorrect(t *testing.T) {
	for range 2 { // the second round answers from the cache
		if m := (grepOpts{pattern: "FTKMOB", icase: true}).matcher(); !m("serial ftkmob1234") {
			t.Fatal("cached -i pattern does not fold case")
		}
		if m := (grepOpts{pattern: "FTKMOB"}).matcher(); m("serial ftkmob1234") {
			t.Fatal("case-sensitive pattern answered from the -i entry")
		}
		if m := (grepOpts{pattern: "a[b"}).matcher(); !m("xa[by") {
			t.Fatal("invalid regexp is not matched literally")
		}
	}
	for i := range maxGrepCache + 50 {
		(grepOpts{pattern: fmt.Sprintf("p%d", i)}).matcher()
	}
	n := 0
	grepCache.Range(func(any, any) bool { n++; return true })
	if n > maxGrepCache {
		t.Fatalf("cache holds %d patterns, bound is %d", n, maxGrepCache)
	}
}

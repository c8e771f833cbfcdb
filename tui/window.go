package tui

// window is the cursor and scroll offset of a list that renders only the rows
// that fit (the fleet list and the token table): with 100,000 tokens loaded,
// drawing just the visible rows is what keeps a frame under 2 ms.
type window struct {
	cursor  int
	offset  int
	visible int // rows visible
}

// clampTo keeps the cursor on one of n rows and the offset so it is visible.
func (w *window) clampTo(n int) {
	if w.cursor >= n {
		w.cursor = n - 1
	}
	if w.cursor < 0 {
		w.cursor = 0
	}
	h := max(1, w.visible)
	if w.cursor < w.offset {
		w.offset = w.cursor
	}
	if w.cursor >= w.offset+h {
		w.offset = w.cursor - h + 1
	}
	if w.offset > max(0, n-h) {
		w.offset = max(0, n-h)
	}
	if w.offset < 0 {
		w.offset = 0
	}
}

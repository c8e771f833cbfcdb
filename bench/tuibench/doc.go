// Package tuibench holds the TUI flood benchmark (flood_test.go), written
// against the tui package's exported API only.
package tuibench

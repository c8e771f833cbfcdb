package tui

import "testing"

// The dialog owns its keys: it answers the root with an outcome, and the
// default answer is No.
func TestDialogOwnsItsKeys(t *testing.T) {
	km := DefaultKeyMap()
	for _, tc := range []struct {
		phase dialogPhase
		keys  []string
		want  dialogOutcome
	}{
		{phaseConfirm, []string{"enter"}, dialogCancel}, // No has the focus
		{phaseConfirm, []string{"right", "enter"}, dialogConfirm},
		{phaseConfirm, []string{"y"}, dialogConfirm},
		{phaseConfirm, []string{"n"}, dialogCancel},
		{phaseConfirm, []string{"esc"}, dialogCancel},
		{phaseConfirm, []string{"down"}, dialogStay},
		{phasePlanning, []string{"esc"}, dialogCancelPlanning},
		{phasePlanning, []string{"y"}, dialogStay},
		{phaseRunning, []string{"y"}, dialogBusy},
		{phaseRunning, []string{"down"}, dialogStay},
		{phaseDone, []string{"enter"}, dialogClose},
	} {
		d := &dialog{phase: tc.phase}
		var got dialogOutcome
		for _, k := range tc.keys {
			got = d.Update(keyMsg(k), &km)
		}
		if got != tc.want {
			t.Errorf("phase %v keys %v: outcome %v, want %v", tc.phase, tc.keys, got, tc.want)
		}
	}
	d := &dialog{phase: phaseRunning}
	d.Update(keyMsg("down"), &km)
	if d.scroll != 1 {
		t.Errorf("scroll = %d", d.scroll)
	}
}

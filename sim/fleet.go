package sim

import (
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Fleet is a running set of simulated FortiGates.
type Fleet struct {
	o        Options
	host     string
	devices  []*Device
	byName   map[string]*Device
	password string

	wg     sync.WaitGroup
	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
	timers map[*time.Timer]struct{}
	done   chan struct{}
	stopFn func() bool
}

// Start builds the fleet and starts serving every device on loopback.
// Cancelling ctx closes the fleet as Close does.
func Start(ctx context.Context, o Options) (*Fleet, error) {
	o.setDefaults()
	if err := resolveFragment(&o); err != nil {
		return nil, err
	}
	host, portStr, err := net.SplitHostPort(o.Listen)
	if err != nil {
		return nil, fmt.Errorf("sim listen address %q: %w", o.Listen, err)
	}
	basePort, err := strconv.Atoi(portStr)
	if err != nil || basePort < 0 || basePort > 65535 {
		return nil, fmt.Errorf("sim listen address %q: bad port", o.Listen)
	}
	specs, err := buildSpecs(o)
	if err != nil {
		return nil, err
	}
	if basePort > 0 && basePort+len(specs)-1 > 65535 {
		return nil, fmt.Errorf("sim: %d devices from port %d exceed 65535", len(specs), basePort)
	}
	pw := o.Password
	if pw == "" {
		pw = randomPassword()
	}
	f := &Fleet{o: o, host: host, byName: map[string]*Device{}, password: pw,
		conns: map[net.Conn]struct{}{}, timers: map[*time.Timer]struct{}{}, done: make(chan struct{})}
	for i, sp := range specs {
		if _, dup := f.byName[sp.Name]; dup {
			_ = f.Close()
			return nil, fmt.Errorf("sim: duplicate device name %q", sp.Name)
		}
		port := 0
		if basePort > 0 {
			port = basePort + i
		}
		d, err := f.newDevice(i, sp, port)
		if err != nil {
			_ = f.Close()
			return nil, err
		}
		f.devices = append(f.devices, d)
		f.byName[d.name] = d
	}
	if err := f.linkClusters(specs); err != nil {
		_ = f.Close()
		return nil, err
	}
	for _, d := range f.devices {
		if d.faults[FaultRefused] {
			// The port stays reserved until every device has one, then
			// closes: connecting is refused.
			_ = d.ln.Close()
			d.ln = nil
			continue
		}
		f.wg.Add(1)
		go d.acceptLoop()
	}
	f.stopFn = context.AfterFunc(ctx, func() { _ = f.Close() })
	return f, nil
}

// buildSpecs resolves Options into one spec per device, with names filled in.
func buildSpecs(o Options) ([]DeviceSpec, error) {
	specs := append([]DeviceSpec(nil), o.Specs...)
	if len(specs) == 0 {
		n := o.Devices
		if n <= 0 {
			n = 12
		}
		for i := 0; i < n; i++ {
			var sc []Scenario
			if len(o.Scenarios) > 0 {
				sc = []Scenario{o.Scenarios[i%len(o.Scenarios)]}
			} else {
				sc = mixFor(i)
			}
			specs = append(specs, DeviceSpec{Scenarios: sc})
		}
	}
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed))
	off := r.IntN(len(cities))
	for i := range specs {
		for _, s := range specs[i].Scenarios {
			if !s.Valid() {
				return nil, fmt.Errorf("sim: unknown scenario %q", s)
			}
		}
		if len(specs[i].Scenarios) == 0 {
			specs[i].Scenarios = []Scenario{Healthy}
		}
		city := cities[(i+off)%len(cities)]
		n := i/len(cities) + 1
		if specs[i].Name == "" {
			specs[i].Name = fmt.Sprintf("%s-fw%d", city, n)
		}
		if specs[i].Hostname == "" {
			specs[i].Hostname = fmt.Sprintf("FGT-%s-%02d", strings.ToUpper(city), n)
		}
		if specs[i].Tokens == 0 {
			specs[i].Tokens = o.TokensPerDevice
		}
	}
	return specs, nil
}

func randomPassword() string {
	const alpha = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	_, _ = crand.Read(b)
	for i := range b {
		b[i] = alpha[int(b[i])%len(alpha)]
	}
	return string(b)
}

// newDevice creates the device state, keys and listener.
func (f *Fleet) newDevice(i int, sp DeviceSpec, port int) (*Device, error) {
	r := rand.New(rand.NewPCG(uint64(f.o.Seed), uint64(i)+1))
	var seed [32]byte
	for j := range seed {
		seed[j] = byte(r.Uint32())
	}
	signer, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed[:]))
	if err != nil {
		return nil, fmt.Errorf("sim host key for %s: %w", sp.Name, err)
	}
	d := &Device{f: f, idx: i, name: sp.Name, scen: append([]Scenario(nil), sp.Scenarios...),
		knownKey: signer.PublicKey(), faults: map[Scenario]bool{}, sess: map[*session]struct{}{},
		rng: rand.New(rand.NewPCG(uint64(f.o.Seed), uint64(i)+0x10000))}
	d.pagedScenario = has(d.scen, Paged)
	for _, s := range d.scen {
		if s.IsFault() {
			d.faults[s] = true
		}
	}
	d.st = newState(i, sp.Hostname, d.scen, sp.Tokens, r)
	d.st.addTokenSpecs(sp.ExtraTokens)
	d.st.interim, d.st.promptMax, d.st.forcePw = sp.Interim, sp.PromptHostMax, sp.ForcePasswordChange
	d.maxSess = sp.MaxSessions
	served := signer
	if d.faults[FaultHostKeyRotated] {
		for j := range seed {
			seed[j] ^= 0xa5
		}
		if served, err = ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed[:])); err != nil {
			return nil, fmt.Errorf("sim rotated host key for %s: %w", sp.Name, err)
		}
	}
	d.cfg = d.serverConfig(served)
	addr := net.JoinHostPort(f.host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sim listen for %s on %s: %w", sp.Name, addr, err)
	}
	d.port = ln.Addr().(*net.TCPAddr).Port
	d.ln = ln
	return d, nil
}

// Devices returns every device in start order.
func (f *Fleet) Devices() []*Device { return append([]*Device(nil), f.devices...) }

// Device returns the device with that inventory name, or nil.
func (f *Fleet) Device(name string) *Device { return f.byName[name] }

// Password is the password every device accepts for User.
func (f *Fleet) Password() string { return f.password }

// User is the admin login name every device accepts.
func (f *Fleet) User() string { return f.o.User }

// Close stops listeners, sessions, timers and goroutines, and waits for them.
func (f *Fleet) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	close(f.done)
	for c := range f.conns {
		_ = c.Close()
	}
	for t := range f.timers {
		t.Stop()
	}
	f.timers = nil
	f.mu.Unlock()
	if f.stopFn != nil {
		f.stopFn()
	}
	var errs []error
	for _, d := range f.devices {
		if d.ln != nil {
			if err := d.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				errs = append(errs, fmt.Errorf("sim close %s: %w", d.name, err))
			}
		}
	}
	f.wg.Wait()
	return errors.Join(errs...)
}

// track registers a connection (and a goroutine for it) unless closing.
func (f *Fleet) track(c net.Conn) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.conns[c] = struct{}{}
	f.wg.Add(1)
	return true
}

func (f *Fleet) untrack(c net.Conn) {
	f.mu.Lock()
	delete(f.conns, c)
	f.mu.Unlock()
}

// goTracked runs fn in a goroutine that Close waits for, unless closing.
func (f *Fleet) goTracked(fn func()) bool {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return false
	}
	f.wg.Add(1)
	f.mu.Unlock()
	go func() {
		defer f.wg.Done()
		fn()
	}()
	return true
}

// afterFunc runs fn after d unless the fleet closes first.
func (f *Fleet) afterFunc(d time.Duration, fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		f.mu.Lock()
		if f.closed {
			f.mu.Unlock()
			return
		}
		delete(f.timers, t)
		f.wg.Add(1)
		f.mu.Unlock()
		defer f.wg.Done()
		fn()
	})
	f.timers[t] = struct{}{}
}

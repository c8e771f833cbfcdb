package sim

import (
	"encoding/base64"
	"fmt"
)

// cldConnect is forticldd's trace of a request to FortiGuard, in its real
// line format "[srcline] func: msg" (fortios-wire.md §6.2, typo included).
func cldConnect(sn string) []string {
	return []string{
		"[3551] fds_handle_request: Received cmd 21 from pid-29755, len 40",
		"[37] fds_queue_task: req-21 is added to ftk",
		"[614] fds_https_start_server: server: 173.243.140.16:443",
		"[615] fds_https_start_server: source-ip: 0.0.0.0:0",
		"[937] ssl_set_hostname: Set hostname 'directregistration.fortinet.com'",
		"[592] __tcps_tcp_start_connect: sockfd=11, server=173.243.140.16:443, use_harelay=0, use_proxy=0",
		"[888] tcps_connect: 173.243.140.16:443 -- ret 0, state 0x0(Intialized) -> 0x11(Connecting)",
		"[735] __ssl_info_callback: SSLv3/TLS write client hello",
		"[773] __tcps_ssl_connect: SSL connected.",
		"[507] fds_https_connect: https_connect(173.243.140.16:443) is established.",
		fmt.Sprintf("[2210] fds_ftk_activate_req: FTK activation request sn=%s", sn),
	}
}

// ftmProvisionLines is the fortitoken daemon's trace of a FortiToken
// Mobile provisioning as a 7.4.10 unit prints it (fortios-wire.md §6.1):
// "func[srcline]:msg" lines, and untimestamped HTTP headers ending
// "\r\r\n", blank lines and one-line JSON bodies that carry the token seed,
// the activation code and a QR code, then the e-mail address the code went
// to. Everything secret is in clear, as on a real unit (d.mu held).
func (d *Device) ftmProvisionLines(g gen, t *token, to string) []string {
	st := d.st
	sn := t.Serial
	vsn, has, members := st.serial, 0, `"`+st.serial+`"`
	if st.ha != nil {
		vsn, has, members = st.ha.vsn, 1, `"`+st.serial+`", "`+st.ha.peer+`"`
	}
	seed := g.pick(upperHex, 40)
	qr := make([]byte, 1100)
	for i := range qr {
		qr[i] = byte(g.r.Uint32())
	}
	copy(qr, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	req := fmt.Sprintf(`{ "d": { "__type": "SoftToken.ProvisionRequest", "__version": "4", "__device_version": "7.0", "__device_build": "%s", "serial_number": "%s", "__clustered_sns": [ %s ], "tokens": [ { "token": "%s", "seed": "%s", "code_expire": 4320, "type": "totp", "period": 60, "digits": 6 } ] } }`,
		st.plat.Build, vsn, members, sn, seed)
	resp := fmt.Sprintf(`{"d":{"__type":"SoftToken.ProvisionResponse","__version":"4","tokens":[{"token":"%s","license":"%s","token_activation_code":"%s","qr_code":"%s","code_expire":4320,"error":null}],"result":2,"error":null}}`,
		sn, t.License, t.ActCode, base64.StdEncoding.EncodeToString(qr))
	raw := func(l string) string { return rawMark + l }
	l := []string{
		"ftm_cfg_provision_token[416]:provision token: " + sn,
		"ftm_fc_provision_token[847]:Provision token:" + sn,
		"ftm_fc_comm_connect[66]:ftm TCPS connected.",
		fmt.Sprintf("__get_json_cluster_obj[183]:vSN: %s, first member SN: %s, has_vsn: %d", vsn, st.serial, has),
		"ftm_fc_command[634]:" + req,
		"ftm_fc_comm_send_request[128]:send packet success.",
		raw(""),
		raw("POST /SoftToken/Provisioning.asmx/Process HTTP/1.1\r"),
		raw("Content-Type: application/json; charset=utf-8\r"),
		raw(fmt.Sprintf("Content-Length: %d\r", len(req))),
		raw("Host: fortinet-ca2.fortinet.com\r"),
		raw("User-Agent: " + st.plat.Model + " " + st.plat.Version + ",build" + st.plat.Build + "\r"),
		raw("\r"),
		"ftm_fc_comm_recv_response[278]:receive packet success.",
		raw(""),
		raw(resp),
		raw(""),
		fmt.Sprintf("ftm_fc_save_qr_image[138]:Create an QR code image /data2/tmp/ftm_qr_%s.png", sn),
		fmt.Sprintf("ftm_cfg_update_token_provision[720]:Set token %s to provisioning", sn),
	}
	if to != "" {
		l = append(l, fmt.Sprintf("ftm_cfg_send_token_activation_code[345]:sent activation code: %s to %s", t.ActCode, to))
	}
	return l
}

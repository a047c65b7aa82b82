package api

import "testing"

func TestRegionEndpoints(t *testing.T) {
	tests := []struct {
		in, api, login, ws, cdn string
	}{
		{"us-east-1", "https://api.mypurecloud.com", "https://login.mypurecloud.com", "wss://webmessaging.mypurecloud.com", "https://api-cdn.mypurecloud.com"},
		{"eu-west-1", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie", "wss://webmessaging.mypurecloud.ie", "https://api-cdn.mypurecloud.ie"},
		{"EU_CENTRAL_1", "https://api.mypurecloud.de", "https://login.mypurecloud.de", "wss://webmessaging.mypurecloud.de", "https://api-cdn.mypurecloud.de"},
		{"ap-southeast-2", "https://api.mypurecloud.com.au", "https://login.mypurecloud.com.au", "wss://webmessaging.mypurecloud.com.au", "https://api-cdn.mypurecloud.com.au"},
		{"us-east-2", "https://api.use2.us-gov-pure.cloud", "https://login.use2.us-gov-pure.cloud", "wss://webmessaging.use2.us-gov-pure.cloud", "https://api-cdn.use2.us-gov-pure.cloud"},
		// Raw domains, with or without a service host label.
		{"usw2.pure.cloud", "https://api.usw2.pure.cloud", "https://login.usw2.pure.cloud", "wss://webmessaging.usw2.pure.cloud", "https://api-cdn.usw2.pure.cloud"},
		{"api.mypurecloud.jp", "https://api.mypurecloud.jp", "https://login.mypurecloud.jp", "wss://webmessaging.mypurecloud.jp", "https://api-cdn.mypurecloud.jp"},
		{" Login.MyPureCloud.ie. ", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie", "wss://webmessaging.mypurecloud.ie", "https://api-cdn.mypurecloud.ie"},
	}
	for _, tt := range tests {
		ep, err := RegionEndpoints(tt.in)
		if err != nil {
			t.Errorf("RegionEndpoints(%q): %v", tt.in, err)
			continue
		}
		if ep.API != tt.api || ep.Login != tt.login || ep.WebMessaging != tt.ws || ep.APICDN != tt.cdn {
			t.Errorf("RegionEndpoints(%q) = %+v", tt.in, ep)
		}
	}
	if len(Regions()) != 17 {
		t.Errorf("Regions() has %d entries, want the 17 of api.md §6", len(Regions()))
	}
}

func TestRegionRejectsNonsense(t *testing.T) {
	for _, in := range []string{"", "us-east-9", "https://api.mypurecloud.com", "mypurecloud.com/path", "localhost"} {
		if d, err := Domain(in); err == nil {
			t.Errorf("Domain(%q) = %q, want an error", in, d)
		}
	}
}

func TestLocalEndpoints(t *testing.T) {
	ep, err := LocalEndpoints("http://127.0.0.1:8080/")
	if err != nil {
		t.Fatal(err)
	}
	want := Endpoints{API: "http://127.0.0.1:8080", Login: "http://127.0.0.1:8080", WebMessaging: "ws://127.0.0.1:8080", APICDN: "http://127.0.0.1:8080"}
	if ep != want {
		t.Errorf("LocalEndpoints = %+v, want %+v", ep, want)
	}
	ep, err = LocalEndpoints("https://emu.test:8443")
	if err != nil || ep.WebMessaging != "wss://emu.test:8443" {
		t.Errorf("https base: %+v, %v", ep, err)
	}
	for _, bad := range []string{"127.0.0.1:8080", "ftp://x", "http://user:pw@127.0.0.1", "http://127.0.0.1?x=1"} {
		if _, err := LocalEndpoints(bad); err == nil {
			t.Errorf("LocalEndpoints(%q) succeeded", bad)
		}
	}
}

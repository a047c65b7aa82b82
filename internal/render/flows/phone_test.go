package flows_test

import (
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
)

// normalizer builds the phone normalisation of a region the way a config
// does, so the test covers the metadata read at generate time too.
func normalizer(t testing.TB, region string) model.Normalization {
	t.Helper()
	c := &config.Config{Identifiers: []config.Identifier{{Type: "Phone", DefaultCountry: region}}}
	m := model.Build(c)
	return m.Identifiers[0].Normalize
}

// runSteps evaluates NormalizeExpr's steps with the emulator's evaluator as
// the common module runs them: each intermediate step into DigitsVariable.
func runSteps(t *testing.T, n model.Normalization, raw string) string {
	t.Helper()
	env := expr.MapEnv{"Common.raw": expr.String(raw), flows.DigitsVariable: expr.NotSet{}, flows.CallingCodesVariable: expr.String(flows.CallingCodes())}
	steps := flows.NormalizeExpr(n, "Common.raw")
	var v expr.Value
	for i, s := range steps {
		for _, err := range expr.Check(s) {
			t.Fatalf("step %d does not check: %v", i, err)
		}
		var err error
		if v, err = expr.Eval(s, env); err != nil {
			t.Fatalf("%q: step %d: %v", raw, i, err)
		}
		if i < len(steps)-1 {
			env[flows.DigitsVariable] = v
		}
	}
	return expr.Display(v)
}

func TestPhoneNormalisationMatchesLibphonenumber(t *testing.T) {
	cases := []struct {
		region, in string
		// intl: digits only with a leading country code where the region's
		// lengths make it unambiguous; libphonenumber alone would prefix the
		// default code, so the expected value is its parse with the '+' restored.
		intl bool
	}{
		{region: "GB", in: "020 7946 0958"},
		{region: "GB", in: "07700 900123"},
		{region: "GB", in: "(020) 7946-0958"},
		{region: "GB", in: "+44 20 7946 0958"},
		{region: "GB", in: "+44 (0)20 7946 0958"},
		{region: "GB", in: "+44 020 7946 0958"},
		{region: "GB", in: "0044 20 7946 0958"},
		{region: "GB", in: "00 1 317 555 0123"},
		{region: "GB", in: "442079460958"},
		{region: "GB", in: "447700900123"},
		{region: "GB", in: "2079460958"},
		{region: "GB", in: "49301234567", intl: true},
		{region: "GB", in: "919876543210", intl: true},
		{region: "US", in: "(317) 555-0123"},
		{region: "US", in: "317.555.0123"},
		{region: "US", in: "1 317 555 0123"},
		{region: "US", in: "+1 (317) 555-0123"},
		{region: "US", in: "011 44 20 7946 0958"},
		{region: "US", in: "011 49 30 1234567"},
		{region: "US", in: "13175550123"},
		{region: "US", in: "919876543210", intl: true},
		{region: "US", in: "49301234567", intl: true},
		{region: "US", in: "442079460958", intl: true},
		{region: "DE", in: "030 1234567"},
		{region: "DE", in: "030/1234567"},
		{region: "DE", in: "+49 30 1234567"},
		{region: "DE", in: "+49 (0)30 1234567"},
		{region: "DE", in: "0049 30 1234567"},
		{region: "DE", in: "0151 23456789"},
		{region: "DE", in: "0044 20 7946 0958"},
		{region: "IN", in: "098765 43210"},
		{region: "IN", in: "98765 43210"},
		{region: "IN", in: "+91 98765 43210"},
		{region: "IN", in: "0091 98765 43210"},
		{region: "IN", in: "919876543210"},
		{region: "FR", in: "01 23 45 67 89"},
		{region: "FR", in: "06.12.34.56.78"},
		{region: "FR", in: "+33 (0)1 23 45 67 89"},
		{region: "FR", in: "+33 1 23 45 67 89"},
		{region: "FR", in: "0033 1 23 45 67 89"},
		{region: "FR", in: "33123456789"},
		{region: "FR", in: "442079460958", intl: true},
		{region: "AU", in: "(02) 9876 5432"},
		{region: "AU", in: "0412 345 678"},
		{region: "AU", in: "+61 2 9876 5432"},
		{region: "AU", in: "+61 (0)2 9876 5432"},
		{region: "AU", in: "0011 44 20 7946 0958"},
		{region: "AU", in: "0011 1 317 555 0123"},
		{region: "AU", in: "61412345678"},
		{region: "BR", in: "(11) 91234-5678"},
		{region: "BR", in: "011 91234-5678"},
		{region: "BR", in: "+55 11 91234-5678"},
		{region: "BR", in: "0021 44 20 7946 0958"},
		{region: "BR", in: "5511912345678"},
	}
	for _, c := range cases {
		n := normalizer(t, c.region)
		raw := c.in
		region := c.region
		if c.intl {
			raw, region = "+"+c.in, "ZZ"
		}
		p, err := phonenumbers.Parse(raw, region)
		if err != nil {
			t.Fatalf("%s %q: libphonenumber: %v", c.region, c.in, err)
		}
		want := phonenumbers.Format(p, phonenumbers.E164)
		if got := runSteps(t, n, c.in); got != want {
			t.Errorf("%s %q: the flow gives %q, libphonenumber %q", c.region, c.in, got, want)
		}
	}
}

func TestPhoneNormalisationOfNothing(t *testing.T) {
	n := normalizer(t, "GB")
	for _, in := range []string{"", "  ", "()", " - "} {
		if got := runSteps(t, n, in); got != "" {
			t.Errorf("%q normalises to %q, want \"\" (nothing to look up)", in, got)
		}
	}
}

// FuzzPhoneNormalisation: whatever is typed, the emitted expressions
// evaluate without an error (a failing expression would send the
// conversation down the flow's error path) and give "" or a "+" number.
func FuzzPhoneNormalisation(f *testing.F) {
	for _, s := range []string{"+44 (0)20 7946 0958", "442079460958", "0011 44 20 7946 0958", "011 1 317 555 0123", "+", "0", "()", "(0)", "00", "+440"} {
		f.Add(s)
	}
	regions := map[string]model.Normalization{}
	for _, r := range []string{"GB", "US", "AU", "BR", "DE"} {
		regions[r] = normalizer(f, r)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for r, n := range regions {
			got := runSteps(t, n, in)
			if got != "" && got[0] != '+' {
				t.Errorf("%s %q: %q is neither blank nor international", r, in, got)
			}
		}
	})
}

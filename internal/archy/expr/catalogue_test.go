package expr

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// referenceCatalogue is Architect's function catalogue as extracted from
// Genesys's npm package into the project's shared reference material.
const referenceCatalogue = "../../../../shared/reference/architect-functions.json"

// TestCatalogueMatchesReference asserts that the table's catalogue part is
// exactly the reference: the same function names, and per function the same
// overloads in order with the same return type, parameter names, types,
// collection, required/NOT_SET and repeatable flags, and NOT_SET meanings.
func TestCatalogueMatchesReference(t *testing.T) {
	data, err := os.ReadFile(referenceCatalogue)
	if os.IsNotExist(err) {
		t.Skipf("%s is not present (it lives beside the worktree, in ../shared); the table cannot be compared with it", referenceCatalogue)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Functions []struct {
			Name      string
			Category  string
			Overloads []struct {
				Returns struct {
					Type    string
					IsArray bool
				}
				Parameters []struct {
					Name, Type, Description        string
					IsArray, Required, AllowNotSet bool
					Repeatable                     bool
				}
			}
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	// Sentences end at a '.' followed by white space.
	boundary := regexp.MustCompile(`\.\s+`)
	var names []string
	for _, rf := range ref.Functions {
		names = append(names, rf.Name)
		f := lookupFunc(rf.Name)
		if f == nil || f.name != rf.Name {
			t.Errorf("catalogue function %s is missing from the table (or spelt differently)", rf.Name)
			continue
		}
		if f.source != "" || f.category != rf.Category || len(f.overloads) != len(rf.Overloads) {
			t.Errorf("%s: source %q, category %q, %d overloads; want catalogue, %q, %d", rf.Name, f.source, f.category, len(f.overloads), rf.Category, len(rf.Overloads))
			continue
		}
		for i, ro := range rf.Overloads {
			o := f.overloads[i]
			if o.ret != ro.Returns.Type || o.retColl != ro.Returns.IsArray || len(o.params) != len(ro.Parameters) {
				t.Errorf("%s overload %d: %s, want return %s (collection %v) and %d parameters", rf.Name, i, o.signature(f.name), ro.Returns.Type, ro.Returns.IsArray, len(ro.Parameters))
				continue
			}
			for j, rp := range ro.Parameters {
				p := o.params[j]
				var meaning []string
				if rp.AllowNotSet {
					d := strings.TrimSpace(rp.Description)
					for _, sent := range boundary.Split(d, -1) {
						if !strings.HasSuffix(sent, ".") && !strings.HasSuffix(d, sent) {
							sent += "."
						}
						if strings.Contains(sent, "NOT_SET") {
							meaning = append(meaning, sent)
						}
					}
				}
				want := param{name: rp.Name, typ: rp.Type, coll: rp.IsArray, notSet: rp.AllowNotSet, repeat: rp.Repeatable, meaning: strings.Join(meaning, " ")}
				if p != want || rp.Required == rp.AllowNotSet {
					t.Errorf("%s overload %d parameter %d: %+v, want %+v (required %v)", rf.Name, i, j, p, want, rp.Required)
				}
			}
		}
	}
	// Nothing else in the table, except the cited extras.
	inRef := map[string]bool{}
	for _, n := range names {
		inRef[n] = true
	}
	for _, f := range Functions() {
		if !inRef[f.Name] && f.Source == "" {
			t.Errorf("%s is in the table but neither in the catalogue nor cited from a published flow", f.Name)
		}
		if inRef[f.Name] && f.Source != "" {
			t.Errorf("%s is in the catalogue but also listed as an extra", f.Name)
		}
	}
	if len(Functions()) != len(names)+len(extras) {
		t.Errorf("table has %d functions, want %d from the catalogue and %d extras", len(Functions()), len(names), len(extras))
	}
}

// TestExtrasCited: each function the catalogue lacks names the published
// Genesys flow that calls it.
func TestExtrasCited(t *testing.T) {
	for _, e := range extras {
		if !strings.HasPrefix(e.source, "GenesysCloudBlueprints/") || !strings.Contains(e.source, ".yaml") {
			t.Errorf("%s: source %q does not name a published Genesys flow file", e.name, e.source)
		}
	}
}

// notEmulated lists the table's functions the emulator does not run: they
// are valid Architect (so Check accepts them) and fail at evaluation with an
// explicit "not implemented by the emulator", never "unknown function".
// Nothing bpgen renders calls them.
var notEmulated = []string{
	"AddDays", "AddDuration", "AddHours", "AddMinutes", "AddMonths", "AddSeconds", "AddYears",
	"AudioPlaybackOptions", "Average", "Compare", "ConvertCurrency", "DateTimeDiff", "Day", "DayOfWeek",
	"DetectLanguage", "EmailAddressDomainPart", "EmailAddressLocalPart", "FindEmergencyGroup",
	"FindLanguageSkill", "FindQueue", "FindQueueById", "FindSkill", "FindSystemPrompt", "FindUser",
	"FindUserById", "FindUserPrompt", "GetCurrencySymbol", "GetCurrentDateTimeUtc",
	"GetDayOfWeekOccurrence", "GetDefaultLanguage", "GetSupportedLanguages", "Hour",
	"MakeCurrency", "MakeDateTime", "MakeDuration", "MakeEmailAddress", "MakeListAgentScorePair",
	"MakeListCurrency", "Minute", "Month", "Range", "Round", "RoundUp", "Second", "ToAudio",
	"ToAudioBlank", "ToAudioTTS", "ToCurrency", "ToDateTime", "ToDuration", "ToGroup",
	"ToLanguageSkill", "ToQueue", "ToScheduleGroup", "ToSkill", "ToUser", "ToWrapupCode",
	"WeekNum", "Year",
}

func TestNotImplementedFunctions(t *testing.T) {
	var got []string
	for _, f := range Functions() {
		if !f.Emulated {
			got = append(got, f.Name)
		}
	}
	want := append([]string(nil), notEmulated...)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("functions not emulated:\n got %v\nwant %v", got, want)
	}
	for _, name := range notEmulated {
		f := lookupFunc(name)
		lo, _ := f.arityRange()
		args := make([]string, lo)
		for i := range args {
			args[i] = "NOT_SET"
		}
		src := name + "(" + strings.Join(args, ", ") + ")"
		_, err := Eval(src, nil)
		if err == nil || !strings.Contains(err.Error(), "function "+name+" is not implemented by the emulator") {
			t.Errorf("Eval(%s) = %v, want not implemented", src, err)
		}
	}
}

// TestUnknownFunctions: names other languages (and other emulators) have but
// Architect's catalogue and published flows do not are unknown at check
// time and at evaluation, never silently evaluated.
func TestUnknownFunctions(t *testing.T) {
	for _, name := range []string{"ToLower", "ToUpper", "StartsWith", "EndsWith", "IsEmpty", "Substr", "Concat", "Len", "IndexOf", "ToJson"} {
		src := name + `("a")`
		errs := Check(src)
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "unknown function "+name) {
			t.Errorf("Check(%s) = %v, want unknown function", src, errs)
		}
		if _, err := Eval(src, nil); err == nil || !strings.Contains(err.Error(), "unknown function "+name) {
			t.Errorf("Eval(%s) = %v, want unknown function", src, err)
		}
	}
}

// extras is the table of functions the catalogue lacks, as funcs.go reads it.
var extras = readTable(extrasTSV, true)

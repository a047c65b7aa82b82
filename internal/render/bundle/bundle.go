// Package bundle renders a validated config into the complete set of bundle
// files, in memory: config → model → flows, Terraform, exports, manifest and
// README. Nothing here touches the disk; the fileset package writes.
package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/render/parallel"
	"github.com/bpgen/bpgen/internal/render/templates"
	"github.com/bpgen/bpgen/internal/render/terraform"
)

// Options carries what render needs from outside the config.
type Options struct {
	// PrevTfvars is the dev.auto.tfvars already on disk, whose values are kept.
	PrevTfvars []byte
}

// Result is a rendered bundle.
type Result struct {
	Files    fileset.Set
	Model    *model.Model
	Flows    []*flows.Flow
	Manifest *manifest.Manifest
	// Notes are things the user should know (never containing a value).
	Notes []string
}

// Render renders every file of the bundle.
func Render(c *config.Config, opts Options) (*Result, error) {
	m := model.Build(c)
	// dev.auto.tfvars and the exports are made while the flows are built,
	// and the flows encode while the .tf files are emitted: all of it reads
	// the model only.
	var wg parallel.Group
	var (
		tfvars    []byte
		notes     []terraform.Note
		tfvarsErr error
	)
	wg.Go(func() { tfvars, notes, tfvarsErr = terraform.Tfvars(m, opts.PrevTfvars) })
	exports := make([][]byte, len(m.Actions))
	exportErrs := make([]error, len(m.Actions))
	wg.Go(func() {
		for i, a := range m.Actions {
			exports[i], exportErrs[i] = exportJSON(a)
		}
	})
	fl, encoded, err := flows.BuildEncode(m)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	files := fileset.Set{}
	tf := terraform.Emit(m, fl)
	for path, b := range tf {
		files[path] = b
	}
	// Every other file's path is known before its bytes, so the manifest and
	// the README (which reads only the .tf files) are made while the flows
	// finish encoding.
	paths := make([]string, 0, len(tf)+len(fl)+len(m.Actions)+2)
	for p := range tf {
		paths = append(paths, p)
	}
	for _, f := range fl {
		paths = append(paths, f.File)
	}
	paths = append(paths, terraform.TfvarsPath, contract.TerraformGitignore)
	for _, a := range m.Actions {
		paths = append(paths, ExportPath(a.Key))
	}
	man := buildManifest(m, fl, paths)
	readme, readmeErr := templates.BundleREADME(readmeData(m, fl, man, files))
	wg.Wait()
	flowBytes, err := encoded()
	if err != nil {
		return nil, err
	}
	for i, f := range fl {
		files[f.File] = flowBytes[i]
	}
	if tfvarsErr != nil {
		return nil, tfvarsErr
	}
	files[terraform.TfvarsPath] = tfvars
	files[contract.TerraformGitignore] = templates.BundleGitignore()
	for i, a := range m.Actions {
		if exportErrs[i] != nil {
			return nil, exportErrs[i]
		}
		files[ExportPath(a.Key)] = exports[i]
	}
	if readmeErr != nil {
		return nil, fmt.Errorf("bundle README: %w", readmeErr)
	}
	files[contract.TerraformReadme] = readme
	man.Files = append(man.Files, contract.TerraformReadme)
	sort.Strings(man.Files)
	mb, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, err
	}
	files[manifest.Path] = append(mb, '\n')
	res := &Result{Files: files, Model: m, Flows: fl, Manifest: man}
	for _, n := range notes {
		res.Notes = append(res.Notes, string(n))
	}
	return res, nil
}

// ExportPath is where a data action's UI-import JSON goes.
func ExportPath(key string) string { return contract.ExportPath(key) }

func exportJSON(a *model.Action) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Velocity templates stay readable: no \u003c for < and >.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a.Def); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// buildManifest is the manifest of a bundle of the files at paths.
func buildManifest(m *model.Model, fl []*flows.Flow, paths []string) *manifest.Manifest {
	man := &manifest.Manifest{Format: manifest.Format, ProviderVersion: m.ProviderVersion, Language: m.Language, Strategy: m.Strategy}
	for _, id := range m.Identifiers {
		mi := manifest.Identifier{Type: id.Type, ParticipantData: id.ParticipantData, Normalize: id.Normalize.Kind}
		if id.Normalize.Kind == "phone" {
			mi.DefaultCountry = id.Normalize.Region
		}
		if id.Ask != nil {
			mi.Slot, mi.Pattern = id.Ask.Slot, id.Ask.Pattern
		}
		man.Identifiers = append(man.Identifiers, mi)
	}
	if sf := m.SecondFactor; sf != nil {
		mi := &manifest.Identifier{Field: sf.Field, ParticipantData: sf.ParticipantData}
		if sf.Ask != nil {
			mi.Slot, mi.Pattern = sf.Ask.Slot, sf.Ask.Pattern
		}
		man.SecondFactor = mi
	}
	if a := m.AgentData; a != nil {
		man.AgentData = &manifest.AgentData{Prefix: a.Prefix, IdentifierValue: a.IncludeValue}
		for _, k := range a.Attributes() {
			man.AgentData.Attributes = append(man.AgentData.Attributes, a.Prefix+k)
		}
	}
	if m.WebMessaging != nil {
		man.Channels.WebMessaging = &manifest.Channel{ResolveIdentities: m.WebMessaging.ResolveIdentities}
	}
	if m.OpenMessaging != nil {
		man.Channels.OpenMessaging = &manifest.Channel{ResolveIdentities: m.OpenMessaging.ResolveIdentities}
	}
	for _, o := range objects(m, fl) {
		man.Objects = append(man.Objects, o)
	}
	man.Files = append(man.Files, paths...)
	return man
}

// names known at render time, for manifest substitution values.
func refValue(m *model.Model, r flows.Ref) *string {
	var v string
	switch {
	case r.Kind == contract.KindQueue && r.Attr == contract.AttrName:
		v = m.Names.Queue
	case r.Kind == contract.KindFlow && r.Attr == contract.AttrName && r.Key == flows.BotKey:
		v = m.Names.BotFlow
	case r.Kind == contract.KindFlow && r.Attr == contract.AttrName && r.Key == flows.ModuleKey:
		v = m.Names.CommonModule
	case r.Kind == contract.KindDataAction && r.Attr == contract.AttrCategory:
		v = m.Category
	case r.Kind == contract.KindDataAction && r.Attr == contract.AttrName:
		a := m.Action(r.Key)
		if a == nil {
			return nil
		}
		v = a.Name
	case r.Kind == contract.KindDivision && r.Attr == contract.AttrName && m.DivisionName != "":
		v = m.DivisionName
	default:
		return nil
	}
	return &v
}

func objects(m *model.Model, fl []*flows.Flow) []manifest.Object {
	var out []manifest.Object
	add := func(o manifest.Object) {
		o.ID = contract.ObjectID(o.Kind, o.Key)
		out = append(out, o)
	}
	div := manifest.Object{Kind: contract.KindDivision, Name: m.DivisionName, Address: "data.genesyscloud_auth_division_home.home", Output: contract.OutputDivision}
	if m.DivisionName != "" {
		div.Address = "data.genesyscloud_auth_division.selected"
	}
	add(div)
	integrationDeps := []string{}
	switch m.Credentials {
	case "create":
		add(manifest.Object{Kind: contract.KindRole, Name: m.Names.Role, Address: terraform.RoleAddr, Output: contract.OutputRole, Managed: true})
		add(manifest.Object{Kind: contract.KindOAuthClient, Name: m.Names.OAuthClient, Address: terraform.OAuthClientAddr, Output: contract.OutputOAuthClient, Managed: true, DependsOn: []string{contract.KindRole, contract.KindDivision}})
		integrationDeps = []string{contract.KindOAuthClient}
	case "existingClient":
		add(manifest.Object{Kind: contract.KindIntegrationCredential, Name: m.Names.Integration, Address: terraform.CredentialAddr, Managed: true})
		integrationDeps = []string{contract.KindIntegrationCredential}
	}
	add(manifest.Object{Kind: contract.KindIntegration, Name: m.Names.Integration, Address: terraform.IntegrationAddr, Output: contract.OutputIntegration,
		Managed: m.Credentials != "existingIntegration", DependsOn: integrationDeps})
	if m.Credentials == "existingIntegration" {
		out[len(out)-1].Address = "var." + contract.VarDataActionsIntegrationID
		out[len(out)-1].Name = ""
	}
	for _, a := range m.Actions {
		add(manifest.Object{Kind: contract.KindDataAction, Key: a.Key, Name: a.Name, Category: m.Category, File: ExportPath(a.Key),
			Address: terraform.ActionAddr(a.Key), Output: contract.ActionOutput(a.Key), Managed: true, DependsOn: []string{contract.KindIntegration}})
	}
	q := manifest.Object{Kind: contract.KindQueue, Name: m.Names.Queue, Address: terraform.QueueResourceAddr, Output: contract.OutputQueue, Managed: !m.Queue.Existing, DependsOn: []string{contract.KindDivision}}
	if m.Queue.Existing {
		q.Address, q.DependsOn = terraform.QueueDataAddr, nil
	}
	add(q)
	if s := m.ExternalSource; s != nil {
		o := manifest.Object{Kind: contract.KindExternalSource, Name: s.Name, Address: terraform.SourceDataAddr, Output: contract.OutputSource}
		if s.Create {
			o.Address, o.Managed = terraform.SourceResourceAddr, true
		}
		add(o)
	}
	for _, f := range fl {
		o := manifest.Object{Kind: contract.KindFlow, Key: f.Key, Name: f.Name, FlowType: f.APIType, File: f.File, Address: terraform.FlowAddr(f.Key),
			Output: contract.FlowOutput(f.Key), Managed: true, Subs: map[string]manifest.Substitution{}}
		deps := map[string]bool{}
		for _, u := range f.Uses {
			deps[contract.ObjectID(u.Kind, u.Key)] = true
		}
		for _, s := range f.Subs {
			o.Subs[s.Key] = manifest.Substitution{Ref: s.Ref.String(), Value: refValue(m, s.Ref)}
			deps[contract.ObjectID(s.Ref.Kind, s.Ref.Key)] = true
		}
		for d := range deps {
			o.DependsOn = append(o.DependsOn, d)
		}
		sort.Strings(o.DependsOn)
		add(o)
	}
	if m.WebMessaging != nil {
		add(manifest.Object{Kind: contract.KindMessengerConfiguration, Name: m.Names.MessengerConfiguration, Address: terraform.MessengerConfAddr, Output: contract.OutputMessengerConf, Managed: true})
		add(manifest.Object{Kind: contract.KindMessengerDeployment, Name: m.Names.MessengerDep, Address: terraform.MessengerDeplAddr, Output: contract.OutputMessengerDepl, Managed: true,
			DependsOn: []string{contract.ObjectID(contract.KindFlow, flows.InboundKey), contract.KindMessengerConfiguration}})
	}
	if m.OpenMessaging != nil {
		add(manifest.Object{Kind: contract.KindOpenMessagingIntegration, Name: m.Names.OpenMessaging, Address: terraform.OpenMessagingAddr, Output: contract.OutputOpenMessaging, Managed: true})
	}
	return out
}

// Command bpgen renders and tests a Genesys Cloud identity-resolution bundle.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/bpgen/bpgen/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

package flowyaml

// FastPath reports whether Parse reads data with its own scanner.
func FastPath(data []byte) bool {
	_, ok := parseFast(string(data))
	return ok
}

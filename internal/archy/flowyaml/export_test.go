package flowyaml

// FastPath reports whether Parse reads data with its own scanner.
func FastPath(data []byte) bool {
	_, ok := parseFast(string(data))
	return ok
}

// NodeBound is the number of nodes the scanner makes room for in data.
func NodeBound(data []byte) int {
	bound, _ := cleanText(string(data))
	return bound
}

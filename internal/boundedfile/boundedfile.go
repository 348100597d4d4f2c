// Package boundedfile reads the files a user names (specs, catalogues,
// cassettes) as hostile input: regular files only, up to a size limit, so
// /dev/zero, a FIFO or a 10 GB file is a one-line error instead of a read
// that never ends or eats the memory (decision D71, docs/decisions.md).
package boundedfile

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// The limits, with room to spare over what real files need: the PassFort
// spec is 190 KB, the product catalogue 9 KB; a cassette of the default suite
// is a few MB, and each of its bodies is capped at 16 MiB by the client.
const (
	// SpecLimit caps an OpenAPI spec, a catalogue or a lifecycle model.
	SpecLimit = 16 << 20
	// CassetteLimit caps a cassette.
	CassetteLimit = 256 << 20
)

// Read returns the contents of the regular file at path, refusing anything
// else (a device, a FIFO, a folder) and a file over limit bytes. Errors are
// one line and name the path.
func Read(path string, limit int64) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until someone writes.
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: got a %s, want a regular file", path, kind(fi.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat() // the file opened, which may not be the one checked
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: got a %s, want a regular file", path, kind(fi.Mode()))
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: got %d bytes, want at most %d (%s)", path, fi.Size(), limit, human(limit))
	}
	// The file may grow between Stat and the read: read one byte past the
	// limit to notice. The buffer starts at the file's size, so a large
	// file (a run.json of tens of megabytes) is read in one allocation, not
	// the several of io.ReadAll's growth, which came to twice its size.
	buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: got more than %d bytes, want at most %d (%s)", path, limit, limit, human(limit))
	}
	return data, nil
}

func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "folder"
	case m&os.ModeNamedPipe != 0:
		return "named pipe"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeDevice != 0:
		return "device"
	default:
		return "special file"
	}
}

func human(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

// Package memadvise tells the kernel how this process will use its memory, so
// that a run of a few tens of milliseconds pays for fewer page faults.
//
// A fresh process faults on the first touch of every 4 KB page, and on a
// virtual machine a fault costs microseconds: tens of them for a page of the
// executable, about fifteen for a page of heap. A warm `pylock lock` of a small
// project took about 900 faults, a third of its time. So, on Linux, when this
// package is initialised it
//
//   - populates the executable's read-only mappings (code and constant data)
//     with one MADV_POPULATE_READ call per mapping: about 0.7 ms for 11 MB,
//     where the 150-odd faults it replaces cost about 4 ms; and
//   - advises transparent huge pages for the heap mapped so far (a few MB,
//     where the runtime chose at random) and collapses each 2 MB of it that
//     the runtime has touched into one, so that the package initialisation
//     and command set-up that follow take no heap faults.
//
// HugeHeap does the same for the next tens of megabytes of heap, for a
// command that will allocate them.
//
// The price is resident memory: the executable's whole read-only image, 11
// MB, counts in the process's peak RSS, though the page cache shares it with
// every other process that runs the binary.
//
// Everything here is advice: where a kernel lacks a call or refuses it,
// nothing changes but the speed. Elsewhere than Linux the package does
// nothing.
//
// The package is initialised early because it imports only syscall and
// unsafe: Go initialises the packages a program imports in import path order,
// each as soon as its own imports are, so this one runs right after syscall,
// before most of the standard library's initialisation. A wider import list
// would make it run later and save less; TestImportsStayFew keeps it narrow.
package memadvise

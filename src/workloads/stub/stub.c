/*
 * The `processes` workload's exec stub, like berserker's stub.asm: exit(0) at once, ignoring its
 * arguments. No libc (-nostdlib), so an exec costs only the kernel's work: about half of what
 * busybox-static's `true` costs. Build: gcc -static -nostdlib -Os -s -o stub stub.c
 */
void _start(void) {
#if defined(__x86_64__)
  __asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
#elif defined(__aarch64__)
  __asm__ volatile("mov x8, #93\n\tmov x0, #0\n\tsvc #0");
#else
#error "stub.c supports x86_64 and aarch64"
#endif
  for (;;) {
  }
}

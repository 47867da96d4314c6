# Where close_range does not exist (Linux < 5.9, a seccomp profile that refuses it: here a filter
# answers ENOSYS): children inherit no descriptor of zinit's or of its launcher's (its fd 9
# here). The child used to close every possible descriptor up to zinit's raised limit (about
# 1 s per spawn at 1048576, PID 1 waiting); now none is closed there: zinit's own descriptors
# are close-on-exec, and the inherited ones are made so at start, which this test checks.
. "$(dirname "$0")/lib.sh"

launch_through noclr <<'PYEOF'
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
class F(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]
class P(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(F))]
# load the syscall number; close_range (436) -> ENOSYS (38); anything else allowed
prog = (F * 4)(F(0x20, 0, 0, 0), F(0x15, 0, 1, 436), F(0x06, 0, 0, 0x00050000 | 38), F(0x06, 0, 0, 0x7fff0000))
fprog = P(4, prog)
if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:
    sys.exit("seccomp: errno %d" % ctypes.get_errno())
os.dup2(os.open("/dev/null", os.O_RDONLY), 9, inheritable=True)  # a launcher's descriptor
PYEOF

unit fds <<YAML
exec: ls -1 /proc/self/fd
oneshot: true
log: stdout
YAML
start_zinit
wait_line '^zinit: INFO oneshot fds succeeded$'
wait_line '^\[\+\] fds: 3$'
# ls's own 0, 1, 2 and the directory it reads: nothing of zinit's, nothing of the launcher's
assert_eq "$(sed -n 's/^\[+\] fds: //p' "$T/out" | tr '\n' ' ')" "0 1 2 3 " "the descriptors a child has"
stop_zinit TERM
assert_eq "$STATUS" 0 "exit status"

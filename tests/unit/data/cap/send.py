# Sends IKE-shaped datagrams and an RFC 8229 stream from 10.9.0.1 / fd00::1 (see make.sh).
import socket, struct, time, sys
def ike(tag, n):
    h = struct.pack('>QQBBBBII', tag, 0, 33, 0x20, 34, 8, 0, n)
    return h + bytes([tag & 0xff]) * (n - 28)
# UDP 500, v4 and v6, small and fragmented
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s4.bind(('10.9.0.1', 500))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s6.bind(('fd00::1', 500))
s4.sendto(ike(1, 300), ('10.9.0.2', 500)); time.sleep(0.05)
s4.sendto(ike(2, 3000), ('10.9.0.2', 500)); time.sleep(0.05)
s6.sendto(ike(3, 4000), ('fd00::2', 500)); time.sleep(0.05)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(('10.9.0.1', 4500))
u.sendto(b'\xff', ('10.9.0.2', 4500)); time.sleep(0.05)
u.sendto(b'\0\0\0\0' + ike(4, 2500), ('10.9.0.2', 4500)); time.sleep(0.05)
u.sendto(struct.pack('>II', 0xc0ffee, 1) + bytes(80), ('10.9.0.2', 4500)); time.sleep(0.05)
# RFC 8229 over TCP
t = socket.create_connection(('10.9.0.2', 4500))
def rec(b): return struct.pack('>H', len(b) + 2) + b
t.sendall(b'IKETCP' + rec(b'\0\0\0\0' + ike(5, 200)))
time.sleep(0.05)
t.sendall(rec(b'\0\0\0\0' + ike(6, 5000)) + rec(b'\0\0\0\0' + ike(7, 100)))
time.sleep(0.1)
t.close()
time.sleep(0.1)

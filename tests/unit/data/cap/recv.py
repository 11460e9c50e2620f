# The RFC 8229 listener for make.sh: accepts one connection and reads it to the end.
import socket
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(('10.9.0.2', 4500)); t.listen(1)
c, _ = t.accept()
while c.recv(65536): pass
c.close()

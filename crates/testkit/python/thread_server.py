# Benchmark peer: 08's service with a thread per client, tutorial style
# (000 §1.6 threading.Thread; 002's "多线程"). Binds port 0.
import socket
import sys
import threading


def serve_client(new_client_socket, client_addr):
    while True:
        recv_data = new_client_socket.recv(1024)
        if not recv_data:
            break
        print("%s: %s" % (client_addr, recv_data.decode()), flush=True)
        new_client_socket.send(b"received: " + recv_data)
    new_client_socket.close()


def main():
    tcp_server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp_server_socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp_server_socket.bind(('127.0.0.1', 0))
    tcp_server_socket.listen(int(sys.argv[1]) if len(sys.argv) > 1 else 128)
    print("listening on %s:%d" % tcp_server_socket.getsockname(), flush=True)
    while True:
        new_client_socket, client_addr = tcp_server_socket.accept()
        t = threading.Thread(target=serve_client,
                             args=(new_client_socket, client_addr))
        t.start()


if __name__ == '__main__':
    main()

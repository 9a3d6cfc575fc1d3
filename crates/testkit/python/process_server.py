# Benchmark peer: 003's 多进程服务器 (a Process per client, SO_REUSEADDR),
# answering like 08. usage: process_server.py [BACKLOG=5] (the tutorial's 5)
import socket
import sys
from multiprocessing import Process


def dealwithclient(newSocket, destAddr):
    while True:
        recvData = newSocket.recv(1024)
        if len(recvData) > 0:
            print("recv[%s]: %s" % (str(destAddr), recvData), flush=True)
            newSocket.send(b"received: " + recvData)
        else:
            print("[%s] closed" % str(destAddr), flush=True)
            break
    newSocket.close()


def main():
    serSocket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    serSocket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    serSocket.bind(('127.0.0.1', 0))
    serSocket.listen(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    print("listening on %s:%d" % serSocket.getsockname(), flush=True)
    try:
        while True:
            newSocket, destAddr = serSocket.accept()
            client = Process(target=dealwithclient, args=(newSocket, destAddr))
            client.start()
            newSocket.close()
    finally:
        serSocket.close()


if __name__ == '__main__':
    main()

# 004 客户端例子 (Python 3: input instead of raw_input; address from argv)
import socket
HOST = __import__("sys").argv[1]
PORT = int(__import__("sys").argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((HOST, PORT))  # 尝试连接到服务器
while 1:
    try:
        cmd = input('Please input msg:')
    except EOFError:
        break
    s.send(bytes(cmd, 'utf-8'))
    data = s.recv(1024)
    print(data, flush=True)

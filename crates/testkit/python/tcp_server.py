# 000 §2.3 08-tcp服务端-循环服务并且多次为一个客户服务 (port 0)
import socket


def main():
    # 1、创建套接字
    tcp_server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 2、绑定本地信息
    tcp_server_socket.bind(('127.0.0.1', 0))
    # 3、listen-状态改为被动
    tcp_server_socket.listen(128)
    print("listening on %s:%d" % tcp_server_socket.getsockname(), flush=True)
    while True:
        # 4、accept-等待链接
        new_client_socket, client_addr = tcp_server_socket.accept()
        print(client_addr, flush=True)
        while True:
            # 5、接收/发送数据
            recv_data = new_client_socket.recv(1024)
            print(recv_data.decode('gbk'), flush=True)
            if recv_data:
                new_client_socket.send("收到数据".encode('gbk'))
            else:
                print("当前服务完成", flush=True)
                break
        # 6、关闭套接字
        new_client_socket.close()
    tcp_server_socket.close()


if __name__ == '__main__':
    main()

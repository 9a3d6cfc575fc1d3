# 000 §2.4 10-案例文件下载-服务端 (port 0; serves its working directory)
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
        # 5、接收下载文件名
        recv_data = new_client_socket.recv(1024)
        if recv_data:
            upload_file_name = recv_data.decode('utf-8')
            print("客户端 (%s) 需要下载的文件: %s" % (client_addr, upload_file_name), flush=True)
            # 6、读取文件数据
            try:
                f = open(upload_file_name, 'rb')
                send_data = f.read()
                f.close()
                # 7、传输文件
                new_client_socket.send(send_data)
            except:
                print("文件不存在!", flush=True)
            print("当前服务完成", flush=True)
        # 8、关闭套接字
        new_client_socket.close()


if __name__ == '__main__':
    main()

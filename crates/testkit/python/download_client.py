# 000 §2.4 09-案例文件下载-客户端 (unchanged: it asks for ip, port, name)
import socket


def main():
    # 创建套接字
    tcp_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # 获取服务器的ip port
    dist_ip = input("输入服务器ip : ")
    dist_port = input("输入服务器port : ")
    # 链接服务器
    tcp_socket.connect((dist_ip, int(dist_port)))
    # 获取下载的文件名
    download_file_name = input("输入下载的文件名字 : ")
    # 将文件名发送服务器
    tcp_socket.send(download_file_name.encode('utf-8'))
    # 接收文件数据
    recv_data = tcp_socket.recv(1024*1024)  # 1024*1024 --> 1M
    if recv_data:
        # 保存文件数据
        with open("[接收]" + download_file_name, 'wb') as f:
            f.write(recv_data)
    else:
        print("文件不存在！")
    # 关闭套接字
    tcp_socket.close()


if __name__ == '__main__':
    main()

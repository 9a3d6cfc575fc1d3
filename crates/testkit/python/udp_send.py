# 000 §1.4.1.1 udp 网络程序-发送数据 (address from argv)
import socket
import sys


def main():
    # 创建udp套接字
    udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    while True:
        # 从键盘获取数据
        send_data = input("输入要发送的数据：")
        # 如果输入exit, 则退出
        if send_data == 'exit':
            break
        udp_socket.sendto(send_data.encode('utf-8'), (sys.argv[1], int(sys.argv[2])))
    # 关闭udp套接字
    udp_socket.close()


if __name__ == '__main__':
    main()

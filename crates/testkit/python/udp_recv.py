# 000 §1.4.1.2 udp 网络程序-接收数据 (port 0, prints where it listens)
import socket


def main():
    # 创建udp套接字
    udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # 绑定端口
    local_addr = ("127.0.0.1", 0)
    udp_socket.bind(local_addr)
    print("listening on %s:%d" % udp_socket.getsockname(), flush=True)
    while True:
        # 接受数据
        rcv_data = udp_socket.recvfrom(1204)
        # 打印数据
        print("打印完整接收内容：%s" % str(rcv_data))
        print("打印接收数据：%s" % rcv_data[0].decode('gbk'), flush=True)
        # 关闭udp套接字 (the tutorial's bug: the next recvfrom fails)
        udp_socket.close()


if __name__ == '__main__':
    main()

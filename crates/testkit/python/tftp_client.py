# 003 TFTP简单文件传输协议: the tutorial's download client, with the server
# from the command line: tftp_client.py IP PORT FILE. Its bug is kept: it
# never acknowledges the last block (the server resends it, then gives up).
import struct
import sys
from socket import *

server_ip, server_port, filname = sys.argv[1], int(sys.argv[2]), sys.argv[3]
send_data = struct.pack("!H%dsb5sb" % len(filname), 1, filname.encode(), 0, "octet".encode(), 0)
s = socket(AF_INET, SOCK_DGRAM)
s.sendto(send_data, (server_ip, server_port))
f = open(filname, "ab")

while True:
    recv_data = s.recvfrom(1024)	#接收数据
    caozuoma,ack_num = struct.unpack("!HH",recv_data[0][:4])	#获取数据块编号
    rend_port = recv_data[1][1]	#获取服务器随机端口号
    if int(caozuoma) == 5:
        print("文件不存在！！！")
        break
    print("操作码：%d,ACK:%d,服务器端口：%d，数据长度：%d" % (caozuoma,ack_num,rend_port,len(recv_data[0])))
    f.write(recv_data[0][4:])	#数据写入
    if len(recv_data[0]) < 516:
        break
    ack_data = struct.pack("!HH",4,ack_num)
    s.sendto(ack_data,(server_ip,rend_port))	#回复ACK确认包
f.close()

variable "subnet_id" {
  type = string
}

variable "security_group_id" {
  type = string
}

resource "aws_instance" "web" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [var.security_group_id]
}

resource "aws_instance" "worker" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [var.security_group_id]
}

output "web_network_interface_id" {
  value = aws_instance.web.primary_network_interface_id
}

output "worker_network_interface_id" {
  value = aws_instance.worker.primary_network_interface_id
}

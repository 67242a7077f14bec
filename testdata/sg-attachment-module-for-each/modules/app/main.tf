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

variable "vpc_id" {
  type = string
}

# Two interface endpoints guarded by the app group.
resource "aws_vpc_endpoint" "ssm" {
  vpc_id             = var.vpc_id
  service_name       = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [var.subnet_id]
  security_group_ids = [var.security_group_id]
}

resource "aws_vpc_endpoint" "ec2messages" {
  vpc_id             = var.vpc_id
  service_name       = "com.amazonaws.us-east-1.ec2messages"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [var.subnet_id]
  security_group_ids = [var.security_group_id]
}

output "ssm_endpoint_id" {
  value = aws_vpc_endpoint.ssm.id
}

output "ec2messages_endpoint_id" {
  value = aws_vpc_endpoint.ec2messages.id
}
